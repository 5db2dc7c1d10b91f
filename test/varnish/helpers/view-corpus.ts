import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import type { EdgeOffers } from '../../../src/cli/edge-vcl';
import { HTML_TYPE } from '../../../src/http/answer/html/view';
import { HTML } from '../../../src/http/answer/negotiation/negotiate-request';
import { negotiate } from '../../../src/http/answer/negotiation/negotiate';

/** The token the VCL puts in Accept when nothing is acceptable, so every 406 shares one key. */
export const UNACCEPTABLE = 'application/x-facet-unacceptable';

/** The Content-Type of the HTML view (rule 7). */
export const VIEW_CONTENT_TYPE = HTML_TYPE;

/** X-Facet-Variant when the VCL chose the HTML view of `defaultType`. */
export const viewOf = (defaultType: string): string => `${HTML};default=${defaultType}`;

/** The view's default when `variant` is the HTML view, else undefined. */
export const viewDefault = (variant: string | undefined): string | undefined => variant?.match(/^text\/html;default=(.+)$/)?.[1];

/** What generic ranges stand for, for an anonymous request with this X-Client-Platform (defaultRepresentation's rule on `edge`'s map). */
export function defaultFor(edge: EdgeOffers, platform: string | undefined): string {
  return edge.platforms.get(platform?.trim().toLowerCase() ?? '') ?? edge.fallback;
}

/** The X-Client-Platform the edge sends with the view of `type`: the first platform it is the default of; none for the fallback. */
export function platformFor(edge: EdgeOffers, type: string): string | undefined {
  return type === edge.fallback ? undefined : [...edge.platforms].find(([, t]) => t === type)?.[0];
}

/**
 * What the service answers an anonymous GET of a resource offering `offers` (the card: the HTML
 * view allowed): a vendor type, viewOf(default), or UNACCEPTABLE for a 406.
 */
export function anonymousChoice(edge: EdgeOffers, accept: string | undefined, platform: string | undefined): string {
  const defaultType = defaultFor(edge, platform) as VendorType;
  const outcome = negotiate(accept, edge.offers as readonly VendorType[], defaultType, true);
  if (!outcome.ok) return UNACCEPTABLE;
  return outcome.html ? viewOf(outcome.type) : outcome.type;
}

/** The Accept and X-Client-Platform the edge sends the service for a choice: one spelling per object. */
export function normalisedRequest(edge: EdgeOffers, choice: string): { accept: string; platform: string | undefined } {
  const shown = viewDefault(choice);
  return shown === undefined ? { accept: choice, platform: undefined } : { accept: HTML, platform: platformFor(edge, shown) };
}

/** What browsers and tools send when a person opens a URL (navigation requests). */
export const BROWSERS = {
  'Chrome': 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'Chrome (signed exchanges)': 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'Firefox': 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Firefox 65-91': 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8',
  'Safari': 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Edge (legacy)': 'text/html, application/xhtml+xml, image/jxr, */*',
  'lynx': 'text/html, text/plain, text/sgml, */*;q=0.01',
  'odd case and spaces': '  TEXT/HTML ;Q=1 , Application/XHTML+XML ,\t*/* ; q=0.8',
  'text/*': 'text/*',
  'text/html with charset': 'text/html;charset=UTF-8',
  'text/html at q=0.001': 'text/html;q=0.001',
  'a tie with */*': '*/*;q=0.5, text/html;q=0.5',
  'a tie with application/*': 'application/*;q=0.7,text/*;q=0.7',
} as const satisfies Record<string, string>;

/** What an expectation names: the HTML view of the request's default, a vendor type, or a 406. */
export type Expected = 'view' | VendorType | typeof UNACCEPTABLE;

/** Rule 7 by example (docs/negotiation.md), for an anonymous request without X-Client-Platform: [Accept, outcome]. */
export const RULE_7_EXAMPLES: Array<[string | undefined, Expected]> = [
  ...Object.values(BROWSERS).map((accept): [string, Expected] => [accept, 'view']),
  [undefined, FULL], ['*/*', FULL], ['application/json', FULL], ['application/json, text/plain, */*', FULL],
  ['application/json, text/html', FULL], ['text/html, application/json', FULL], ['text/html, application/*+json', FULL],
  ['text/html, application/*', 'view'], [`text/html, ${SUMMARY}`, SUMMARY], [`text/html;q=0.5, ${SUMMARY}`, SUMMARY],
  [`${SUMMARY};q=0.5, text/html`, 'view'], [`text/html;q=0.9, ${PARTNER_V3}`, PARTNER_V3], [`text/html, ${PARTNER_V3};q=0.9`, 'view'],
  ['text/html;q=0.5, application/json;q=0.5', FULL], ['text/html;q=0.6, application/json;q=0.5', 'view'],
  ['text/*;q=0.5, */*', FULL], ['text/html;q=0.3, text/*;q=0.9, */*;q=0.5', FULL], ['text/html;q=0.9, text/*;q=0.3, */*;q=0.5', 'view'],
  ['text/plain', UNACCEPTABLE], ['text/html;q=0', UNACCEPTABLE], ['text/html;q=0, */*', FULL], ['text/html;q=0, text/*', UNACCEPTABLE],
  ['text/html;level=1', UNACCEPTABLE], ['text/html;level=1, */*', FULL], ['text/html;q=0.5;ext=1, */*;q=0.4', 'view'],
  ['text/html, text/html;q=0.2, */*;q=0.5', 'view'], ['text/html;q=0.2, text/html;q=0.6, */*;q=0.5', 'view'],
  [`${FULL};q=0, text/html`, 'view'], [`${FULL};q=0, */*, text/html;q=0.1`, 'view'], ['image/webp, */*;q=0.8', FULL],
];
