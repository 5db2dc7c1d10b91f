import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a page's fetch saw: read (a CORS-readable answer), opaque (no-cors), or rejected (a network or CORS error). */
export type FetchOutcome =
  | { outcome: 'read'; status: number; contentType: string | null; text: string; setCookie: string | null }
  | { outcome: 'opaque'; status: number }
  | { outcome: 'rejected'; error: string };

/** `window.facet` of the listed web app: each call is one credentialed fetch to the API. */
export interface WebApp {
  signIn(email: string, password: string): Promise<FetchOutcome>;
  read(path: string): Promise<FetchOutcome>;
  patchTitle(code: string, title: string, withToken: boolean): Promise<FetchOutcome>;
  signOut(withToken: boolean): Promise<FetchOutcome>;
  cookies(): string;
}

/** `window.evil` of a page that is not listed: reads, forged writes and a self-submitting form. */
export interface EvilPage {
  read(path: string, mode: 'cors' | 'no-cors'): Promise<FetchOutcome>;
  forge(method: string, path: string, body: string, mode: 'cors' | 'no-cors'): Promise<FetchOutcome>;
  /** Submits a `<form method=POST>` into a hidden iframe; resolves once the frame has loaded (or after 10 s). */
  submitForm(path: string, enctype: string, name: string, value: string): Promise<'loaded' | 'timed out'>;
  cookies(): string;
}

// Both scripts read the API's origin from their own <script data-api> and never throw: every
// outcome, a rejected fetch included, comes back to the test as a value.
const FETCH = `
const API = document.currentScript.dataset.api;
async function call(method, path, options) {
  const init = { method, credentials: 'include', mode: options.mode || 'cors', headers: options.headers || {} };
  if (options.body !== undefined) init.body = options.body;
  try {
    const res = await fetch(API + path, init);
    if (res.type === 'opaque') return { outcome: 'opaque', status: res.status };
    return { outcome: 'read', status: res.status, contentType: res.headers.get('content-type'), text: await res.text(), setCookie: res.headers.get('set-cookie') };
  } catch (err) {
    return { outcome: 'rejected', error: String(err) };
  }
}
`;

/** The web app at a listed origin: signs in with the cookie session and writes with the CSRF token. */
export const WEB_APP_SCRIPT = `${FETCH}
let csrfToken = '';
window.facet = {
  async signIn(email, password) {
    const answer = await call('POST', '/api/session', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (answer.outcome === 'read' && answer.status === 201) csrfToken = JSON.parse(answer.text).csrfToken;
    return answer;
  },
  read: (path) => call('GET', path, {}),
  patchTitle(code, title, withToken) {
    const headers = { 'Content-Type': 'application/merge-patch+json' };
    if (withToken) headers['X-CSRF-Token'] = csrfToken;
    return call('PATCH', '/api/links/' + encodeURIComponent(code), { headers, body: JSON.stringify({ title }) });
  },
  signOut(withToken) {
    return call('DELETE', '/api/session', { headers: withToken ? { 'X-CSRF-Token': csrfToken } : {} });
  },
  cookies: () => document.cookie,
};
`;

/** A page at an origin that is not listed, trying what a cross-site request forgery would. */
export const EVIL_SCRIPT = `${FETCH}
window.evil = {
  read: (path, mode) => call('GET', path, { mode }),
  // text/plain keeps a POST "simple": no preflight, so the request itself reaches the API.
  forge: (method, path, body, mode) => call(method, path, { mode, headers: { 'Content-Type': 'text/plain' }, body }),
  submitForm(path, enctype, name, value) {
    const frame = document.createElement('iframe');
    frame.name = 'sink-' + Math.random().toString(36).slice(2);
    document.body.append(frame);
    const form = document.createElement('form');
    Object.assign(form, { method: 'POST', action: API + path, enctype, target: frame.name });
    const input = document.createElement('input');
    Object.assign(input, { type: 'hidden', name, value });
    form.append(input);
    document.body.append(form);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timed out'), 10000);
      frame.addEventListener('load', () => { clearTimeout(timer); resolve('loaded'); }, { once: true });
      form.submit();
    });
  },
  cookies: () => document.cookie,
};
`;

/** A page server: `/` is an HTML page that loads `/page.js` (the given script) with the API's origin. */
export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `script` as `/page.js` of a page at `http://<host>:<port>`, listening on 127.0.0.1. */
export async function startPageServer(options: { host: string; api: string; script: string; title: string }): Promise<PageServer> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${options.title}</title></head>` +
    `<body><h1>${options.title}</h1><script src="/page.js" data-api="${options.api}"></script></body></html>`;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    else if (path === '/page.js') res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }).end(options.script);
    else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${options.host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
