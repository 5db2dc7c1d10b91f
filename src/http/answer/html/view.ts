import type { IncomingMessage } from 'node:http';
import { grew } from '../answer-cache';
import type { VendorType } from '../../../../representations/media-types';
import { variantTag } from '../etag';
import { prepareAnswer } from '../respond';
import type { PreparedAnswer } from '../respond';
import { renderPage, VIEW_CSP } from './page';

/** The media type of every page. */
export const HTML_TYPE = 'text/html; charset=utf-8';

/** The headers of the JSON answer a page shows, in this order. */
const SHOWN_HEADERS = ['ETag', 'Vary', 'Cache-Control', 'Link'];

/** Makes the page of a prepared JSON answer for a request: one route's offers and credential rule. */
export type HtmlView = (req: IncomingMessage, answer: PreparedAnswer) => PreparedAnswer;

/** The views of an app: one per negotiated GET route. */
export interface HtmlViews {
  forRoute(offers: readonly VendorType[], signedIn: boolean): HtmlView;
}

/** The value of `name` among a prepared answer's name/value pairs. */
function headerOf(pairs: readonly string[], name: string): string | undefined {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name) return pairs[i + 1];
  return undefined;
}

/**
 * Pages are prepared answers too: made from the JSON answer on the first request for it, kept on
 * it (per request target), with the JSON's Cache-Control and Vary, an ETag derived from the
 * JSON's (`"….html"`), its own encodings and 304s.
 */
export function createHtmlViews(deps: { baseUrl: string }): HtmlViews {
  return {
    forRoute(offers, signedIn) {
      return function htmlView(req, answer) {
        const target = req.url ?? '/';
        const kept = answer.page;
        if (kept !== undefined && kept.target === target) return kept.answer;
        const { source } = answer;
        const headers = SHOWN_HEADERS.flatMap((name) => {
          const value = headerOf(answer.ok, name);
          return value === undefined || value === '' ? [] : [[name, value] as [string, string]];
        });
        const html = renderPage({
          target, baseUrl: deps.baseUrl, type: source.type as VendorType, offers, signedIn, headers,
          json: JSON.parse(answer.body.toString()),
        });
        const page = prepareAnswer({
          ...source,
          type: HTML_TYPE,
          etag: variantTag(answer.etag, '.html'),
          body: Buffer.from(html),
          contentEncoding: undefined,
          extra: ['Content-Security-Policy', VIEW_CSP],
        });
        answer.page = { target, answer: page };
        // The page is charged to the caches keeping its answer: its encodings grow them too.
        page.keptBy = answer.keptBy ??= new Map();
        grew(answer);
        return page;
      };
    },
  };
}
