import { Router } from 'express';
import type { RequestHandler } from 'express';
import { MEDIA_TYPES, PARTNER_V3, SHORT_NAME } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { staticFile } from '../answer/encoding/static-file';
import type { Lifecycle, LifecycleEntry } from '../answer/negotiation/lifecycle';
import { methodNotAllowed } from './method-not-allowed';
import { escapeHtml } from '../answer/html/markup';

/** Where the page is served: the target of every `Link: <…>; rel="deprecation"` (RFC 9745 §3). */
export const CONTRACTS_PATH = '/docs/contracts';

/** How a client moves from a representation to its successor, one sentence each. */
export const MIGRATIONS: Partial<Record<VendorType, string>> = {
  [PARTNER_V3]: 'partner.v4 adds tags, status and updated_at; every partner.v3 field is unchanged, so a client moves by asking for the new media type in Accept.',
};

// A page of text: no script, no inline style, nothing loaded, never framed.
const CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";


/** An instant as the page shows it: a <time> element, RFC 3339 in UTC to the second. */
function time(date: Date): string {
  const iso = date.toISOString().replace('.000Z', 'Z');
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso)}</time>`;
}

/** A representation's state at `now`: live, deprecated (with its sunset if one is set) or retired. */
function stateOf(entry: LifecycleEntry | undefined, now: number): string {
  if (!entry) return 'Live.';
  const sunset = entry.sunset;
  if (sunset && now >= sunset.getTime()) return `Retired since ${time(sunset)} (deprecated since ${time(entry.deprecation)}); no longer offered.`;
  const retiring = sunset ? ` Sunset scheduled for ${time(sunset)}.` : ' No sunset is scheduled yet.';
  if (now >= entry.deprecation.getTime()) return `Deprecated since ${time(entry.deprecation)}.${retiring}`;
  return `Live. Deprecated from ${time(entry.deprecation)}.${retiring}`;
}

/** The page at `now`: every media type, its state and its successor, every value escaped. */
export function renderContractsPage(lifecycle: Lifecycle, now: number, migrations: Partial<Record<VendorType, string>> = MIGRATIONS): string {
  const rows = (Object.values(MEDIA_TYPES) as VendorType[]).map((type) => {
    const entry = lifecycle.entries.find((e) => e.type === type);
    const successor = lifecycle.successor(type);
    const next = successor
      ? `<p>Successor: <code>${escapeHtml(SHORT_NAME[successor])}</code> (<code>${escapeHtml(successor)}</code>). ${escapeHtml(migrations[type] ?? '')}</p>`
      : '';
    return `<section id="${escapeHtml(SHORT_NAME[type])}">
  <h2>${escapeHtml(SHORT_NAME[type])}</h2>
  <p><code>${escapeHtml(type)}</code></p>
  <p>${stateOf(entry, now)}</p>
  ${next}
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Facet representations: deprecations and sunsets</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<h1>Facet representations</h1>
<p>A deprecated representation is still answered, with <code>Deprecation</code> (RFC 9745) and a
<code>Link</code> to its successor. From its sunset (<code>Sunset</code>, RFC 8594) it is no longer
offered: ask for its successor instead.</p>
${rows.join('\n')}
</body>
</html>
`;
}

/** The instants the page changes at, in order. */
function transitionsOf(lifecycle: Lifecycle): number[] {
  return lifecycle.entries.flatMap((e) => [e.deprecation.getTime(), ...(e.sunset ? [e.sunset.getTime()] : [])]).sort((a, b) => a - b);
}

/** `GET /docs/contracts`: each representation's state and successor; the page is rebuilt only when a deprecation or sunset passes. */
export function createContractsRouter(lifecycle: Lifecycle, options: { now?: () => Date; compressMinBytes?: number } = {}): Router {
  const now = options.now ?? (() => new Date());
  const transitions = transitionsOf(lifecycle);
  let built: { phase: number; serve: RequestHandler } | undefined;
  const router = Router();
  router.get(CONTRACTS_PATH, function serveContracts(req, res, next) {
    const at = now().getTime();
    let phase = 0;
    while (phase < transitions.length && transitions[phase]! <= at) phase += 1;
    if (built?.phase !== phase) {
      const page = renderContractsPage(lifecycle, at);
      built = { phase, serve: staticFile('text/html; charset=utf-8', page, { cacheControl: 'public, max-age=300', minBytes: options.compressMinBytes }) };
    }
    res.setHeader('Content-Security-Policy', CSP);
    return built.serve(req, res, next);
  });
  router.all(CONTRACTS_PATH, methodNotAllowed('GET, HEAD'));
  return router;
}
