import { SHORT_NAME } from '../../../../representations/media-types';
import type { VendorType } from '../../../../representations/media-types';
import { escapeHtml, jsonToHtml } from './markup';

/** Where the page's one script and one stylesheet are served (src/http/routes/docs.ts). */
export const VIEW_SCRIPT = '/docs/view.js';
export const VIEW_STYLE = '/docs/view.css';

/**
 * The pages' policy: the served script and stylesheet only, fetches to this origin (the
 * switcher), nothing inline, no framing, no forms, no base.
 */
export const VIEW_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What a page shows: the request target, the representation and its JSON, the headers that matter. */
export interface PageContent {
  /** The request target as sent (path and query), shown and used by the curl lines. */
  target: string;
  /** The public address of the service (curl lines are absolute). */
  baseUrl: string;
  type: VendorType;
  offers: readonly VendorType[];
  json: unknown;
  /** Header name/value pairs of the JSON answer shown (ETag, Vary, Cache-Control, …). */
  headers: readonly [string, string][];
  /** The resource needs a credential: the curl lines carry a placeholder for one. */
  signedIn: boolean;
}

/** A single-quoted shell word (curl lines are copied into a shell). */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The curl line that asks for `type` at the page's target. */
export function curlLine(content: PageContent, type: VendorType): string {
  const auth = content.signedIn ? ' -H "Authorization: Bearer $FACET_TOKEN"' : '';
  return `curl -i -H ${shellQuote(`Accept: ${type}`)}${auth} ${shellQuote(content.baseUrl + content.target)}`;
}

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Facet</title>
<link rel="stylesheet" href="${VIEW_STYLE}">
</head>
<body>
${main}
<script src="${VIEW_SCRIPT}"></script>
</body>
</html>
`;
}

/** The browsable view of one representation (issue 19): every value escaped, no inline script or style. */
export function renderPage(content: PageContent): string {
  const switcher = content.offers.map((t) => `<li><button type="button" data-type="${escapeHtml(t)}" aria-pressed="${t === content.type}">${escapeHtml(SHORT_NAME[t])}</button></li>`).join('\n');
  const headers = content.headers.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd data-header="${escapeHtml(name.toLowerCase())}">${escapeHtml(value)}</dd>`).join('\n');
  const curls = content.offers.map((t) => `<li><h3>${escapeHtml(SHORT_NAME[t])}</h3><pre class="curl"><code>${escapeHtml(curlLine(content, t))}</code></pre><button type="button" class="copy">Copy</button></li>`).join('\n');
  return layout(content.target, `<header>
<h1><code>${escapeHtml(content.target)}</code></h1>
<p>The JSON a client gets for this URL, shown as <code id="shown-type">${escapeHtml(content.type)}</code>. Ask for another representation:</p>
<nav aria-label="Representations"><ul id="switcher">
${switcher}
</ul></nav>
</header>
<main>
<section aria-labelledby="headers-title"><h2 id="headers-title">Response headers</h2>
<dl id="headers">
${headers}
</dl></section>
<section aria-labelledby="json-title"><h2 id="json-title">Body</h2>
<pre id="json"><code>${jsonToHtml(content.json)}</code></pre></section>
<section aria-labelledby="curl-title"><h2 id="curl-title">With curl</h2>
<ul id="curls">
${curls}
</ul></section>
</main>`);
}

/** A problem (RFC 9457) as a page, for a browser: its title, detail and the problem document. */
export function renderProblemPage(problem: { title: string; status: number; detail: string }, json: unknown): string {
  return layout(`${problem.status} ${problem.title}`, `<header>
<h1>${problem.status} ${escapeHtml(problem.title)}</h1>
<p id="detail">${escapeHtml(problem.detail)}</p>
</header>
<main>
<section aria-labelledby="json-title"><h2 id="json-title">Problem details</h2>
<pre id="json"><code>${jsonToHtml(json)}</code></pre></section>
</main>`);
}
