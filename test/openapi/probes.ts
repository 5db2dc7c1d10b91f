import http from 'node:http';
import Database from 'better-sqlite3';
import type { FacetApp } from '../../src/app';
import request from 'supertest';
import type { Response, Test } from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import { hashKey } from '../../src/domain/keys';
import type { CredentialRepository } from '../../src/domain/repository';
import type { Scope } from '../../src/domain/types';
import { handleClientError } from '../../src/http/pipeline/client-error';
import { translateSqliteError } from '../../src/store/sqlite/errors';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS } from '../../src/http/guards/cors';
import { MAX_ACCEPT_RANGES, MAX_REQUEST_TARGET } from '../../src/http/guards/limits';
import { createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';

/** One request that exercises one documented response of one operation. */
export interface Probe {
  /** The documented operation, `METHOD /path`. */
  op: string;
  status: number;
  /** Completes the sentence "<op> answers <status> …". */
  when: string;
  run: (app: FacetApp) => Promise<Response>;
  /** Header fields the answer must carry with these values (lower-case names); null: must not carry. */
  headers?: Record<string, string | null>;
}

const user = `Bearer ${KEYS.user}`;
const partner = `Bearer ${KEYS.partner}`;
const stranger = `Bearer ${KEYS.other}`;
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const SESSION_COOKIE = '__Host-facet_session';
const TOO_LARGE = JSON.stringify({ url: `https://example.com/${'a'.repeat(17 * 1024)}` });

/** Keeps the body as bytes whatever its media type, so every response can be checked alike. */
function collectBytes(res: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Sends a request and buffers its body as a Buffer in `res.body`. */
export async function send(test: Test): Promise<Response> {
  return test.buffer(true).parse(collectBytes);
}

/** Creates a link owned by the demo user and returns its current ETag. */
async function linkOfUser(app: FacetApp, code: string): Promise<string> {
  const res = await request(app).post('/api/links').set('Authorization', user).set('Content-Type', JSON_TYPE)
    .send(JSON.stringify({ url: `https://example.com/${code}`, code }));
  if (res.status !== 201) throw new Error(`could not create ${code}: ${res.status} ${res.text}`);
  return res.headers.etag as string;
}

async function etagOf(app: FacetApp, path: string, authorization?: string): Promise<string> {
  const req = request(app).get(path);
  if (authorization) req.set('Authorization', authorization);
  return (await req).headers.etag as string;
}

/** An e-mail and password that can sign in. */
interface Login { email: string; password: string }
/** A browser's session: the cookie to send back and the CSRF token its writes carry. */
interface WebSession extends Login { cookie: string; csrfToken: string }
/** A mobile app's tokens (RFC 6749 §5.1). */
interface MobileTokens extends Login { access_token: string; refresh_token: string }

let signUps = 0;

/** Signs up a fresh account, so that a probe's sign-ins, sessions and tokens are its own. */
async function signUp(app: FacetApp): Promise<Login> {
  signUps += 1;
  const login = { email: `probe-${signUps}@example.org`, password: `probe-password-${signUps}` };
  const res = await request(app).post('/api/accounts').set('Content-Type', JSON_TYPE).send(JSON.stringify({ ...login, name: `Probe ${signUps}` }));
  if (res.status !== 201) throw new Error(`could not sign up: ${res.status} ${res.text}`);
  return login;
}

/** Signs a fresh account in as a browser does. */
async function webSession(app: FacetApp): Promise<WebSession> {
  const login = await signUp(app);
  const res = await request(app).post('/api/session').set('Content-Type', JSON_TYPE).send(JSON.stringify(login));
  if (res.status !== 201) throw new Error(`could not sign in: ${res.status} ${res.text}`);
  const setCookie = (res.headers['set-cookie'] ?? []) as unknown as string[];
  const cookie = setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
  if (!cookie) throw new Error('signing in set no session cookie');
  return { ...login, cookie, csrfToken: (res.body as { csrfToken: string }).csrfToken };
}

/** Signs a fresh account in as a mobile app does. */
async function mobileTokens(app: FacetApp): Promise<MobileTokens> {
  const login = await signUp(app);
  const res = await request(app).post('/api/tokens').set('Content-Type', JSON_TYPE).send(JSON.stringify(login));
  if (res.status !== 200) throw new Error(`could not get tokens: ${res.status} ${res.text}`);
  return { ...login, ...(res.body as { access_token: string; refresh_token: string }) };
}

/** Refreshes at /oauth/token and returns the new refresh token. */
async function refreshed(app: FacetApp, refreshToken: string): Promise<string> {
  const res = await request(app).post('/oauth/token').set('Content-Type', FORM_TYPE).send(`grant_type=refresh_token&refresh_token=${refreshToken}`);
  if (res.status !== 200) throw new Error(`could not refresh: ${res.status} ${res.text}`);
  return (res.body as { refresh_token: string }).refresh_token;
}

/** Sends a request with a user key limited to some scopes, to an app of its own. */
async function withScopedKey(scopes: Scope[], build: (app: FacetApp, authorization: string) => Test): Promise<Response> {
  const scoped = await createTestApp();
  const secret = 'test_scoped_user_key';
  await scoped.store.keys.insert({ id: 'key_test_scoped', hash: hashKey(secret), userId: 'usr_ada', kind: 'user', label: 'scoped', scopes }, FIXED_NOW);
  try {
    return await send(build(scoped.app, `Bearer ${secret}`));
  } finally {
    await scoped.close();
  }
}

/** Fails sign-ins of one unknown e-mail on an app of its own until they are refused; returns the refusal. */
async function pastTheSignInLimit(path: '/api/session' | '/api/tokens'): Promise<Response> {
  const limited = await createTestApp({ seed: false });
  try {
    const body = JSON.stringify({ email: 'nobody@example.org', password: 'not-the-password' });
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const res = await send(request(limited.app).post(path).set('Content-Type', JSON_TYPE).send(body));
      if (res.status !== 401) return res;
    }
    throw new Error(`${path} never refused failed sign-ins`);
  } finally {
    await limited.close();
  }
}

/** Every documented operation with a URL that reaches it, for the limits every request is held to. */
const OPERATIONS: [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, url: string][] = [
  ['GET', '/{code}', '/facet'], ['GET', '/api/links', '/api/links'], ['POST', '/api/links', '/api/links'],
  ['GET', '/api/links/{code}', '/api/links/facet'], ['PATCH', '/api/links/{code}', '/api/links/facet'], ['DELETE', '/api/links/{code}', '/api/links/facet'],
  ['GET', '/api/links/{code}/stats', '/api/links/facet/stats'], ['GET', '/api/me', '/api/me'], ['GET', '/api/teams/{id}', '/api/teams/team_demo'],
  ['GET', '/api/dashboard', '/api/dashboard'], ['POST', '/api/accounts', '/api/accounts'], ['POST', '/api/me/password', '/api/me/password'],
  ['POST', '/api/session', '/api/session'], ['GET', '/api/session', '/api/session'], ['DELETE', '/api/session', '/api/session'],
  ['POST', '/api/tokens', '/api/tokens'], ['POST', '/oauth/token', '/oauth/token'], ['POST', '/oauth/revoke', '/oauth/revoke'],
  ['GET', '/openapi.yaml', '/openapi.yaml'],
  ['GET', '/representations/{folder}/{file}', '/representations/link/summary.schema.json'], ['GET', '/metrics', '/metrics'],
  ['GET', '/docs', '/docs'], ['GET', '/healthz', '/healthz'], ['GET', '/readyz', '/readyz'],
];
const NEEDS_STORE = OPERATIONS.filter(([, path]) => path === '/{code}' || path.startsWith('/api/'));
const WRITES_AND_REDIRECTS = OPERATIONS.filter(([method, path]) => method !== 'GET' || path === '/{code}');
const NEGOTIATED_GETS = ['/api/links/{code}', '/api/links/{code}/stats', '/api/me', '/api/teams/{id}', '/api/dashboard'];

const call = (target: FacetApp | http.Server, method: string, url: string) => request(target)[method.toLowerCase() as 'get'](url);

/** The app behind a server wired as main.ts wires it: what Node's parser refuses is answered too. */
function withClientErrors(app: FacetApp): http.Server {
  const server = http.createServer(app);
  server.on('clientError', handleClientError);
  return server;
}

const ioError = () => Promise.reject(translateSqliteError(new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_READ')));
const CREDENTIAL_METHODS: (keyof CredentialRepository)[] = [
  'findLogin', 'passwordOf', 'createAccount', 'setPassword', 'insertSession', 'findSession', 'touchSession', 'revokeSession',
  'insertFamily', 'findAccessToken', 'rotateRefreshToken', 'revokeFamilyOf', 'revokeAccessToken',
];

/**
 * Gets a mobile app's tokens from a working store, then makes every credential read and write
 * fail with an I/O error and sends the request built with them.
 */
async function withFailingCredentials(build: (app: FacetApp, tokens: MobileTokens) => Test): Promise<Response> {
  const broken = await createTestApp({ seed: false });
  try {
    const tokens = await mobileTokens(broken.app);
    const credentials = broken.store.credentials as unknown as Record<string, unknown>;
    for (const name of CREDENTIAL_METHODS) credentials[name] = ioError;
    return await send(build(broken.app, tokens));
  } finally {
    await broken.close();
  }
}

/** Sends a request to an app whose store fails every read with an I/O error, as a failing disk would. */
async function withFailingStore(method: string, url: string): Promise<Response> {
  const broken = await createTestApp({ seed: false });
  broken.store.keys.findByHash = ioError;
  broken.store.links.findByCode = ioError;
  try {
    return await send(call(broken.app, method, url).set('Authorization', user));
  } finally {
    await broken.close();
  }
}

/** Sends a request without a token to an app whose /metrics needs one. */
async function metricsWithoutToken(): Promise<Response> {
  const guarded = await createTestApp({ seed: false, config: { metricsToken: 'scrape-token-0123456789' } });
  try {
    return await send(request(guarded.app).get('/metrics'));
  } finally {
    await guarded.close();
  }
}

/** Sends a request twice to an app allowing one write and one visit per client address; returns the second answer. */
async function pastTheRateLimit(method: string, url: string): Promise<Response> {
  const limited = await createTestApp({ seed: false, rateLimits: { writesPerAddress: 1, redirectsPerAddress: 1 } });
  try {
    await send(call(limited.app, method, url));
    return await send(call(limited.app, method, url));
  } finally {
    await limited.close();
  }
}

/** The second read of `url` by the demo user's key where the read quota is one a window. */
async function pastTheReadQuota(url: string): Promise<Response> {
  const limited = await createTestApp({ rateLimits: { readsPerCredential: 1 } });
  try {
    await send(request(limited.app).get(url).set('Authorization', user));
    return await send(request(limited.app).get(url).set('Authorization', user));
  } finally {
    await limited.close();
  }
}

/** A concrete URL for each documented path: for its OPTIONS and the methods it does not support. */
export const SAMPLE_URLS: Record<string, string> = {
  '/{code}': '/facet',
  '/api/links': '/api/links',
  '/api/links/{code}': '/api/links/facet',
  '/api/links/{code}/stats': '/api/links/facet/stats',
  '/api/me': '/api/me',
  '/api/teams/{id}': '/api/teams/team_demo',
  '/api/dashboard': '/api/dashboard',
  '/api/accounts': '/api/accounts',
  '/api/me/password': '/api/me/password',
  '/api/session': '/api/session',
  '/api/tokens': '/api/tokens',
  '/oauth/token': '/oauth/token',
  '/oauth/revoke': '/oauth/revoke',
  '/openapi.yaml': '/openapi.yaml',
  '/representations/{folder}/{file}': '/representations/link/summary.schema.json',
  '/metrics': '/metrics',
  '/docs': '/docs',
  '/healthz': '/healthz',
  '/readyz': '/readyz',
};

/** What a path's door is: short links (every method but GET and HEAD is a 404), the API (credentials checked, CORS), the rest. */
export type PathKind = 'short-link' | 'api' | 'other';
export const kindOf = (path: string): PathKind => (path === '/{code}' ? 'short-link' : path.startsWith('/api/') ? 'api' : 'other');

/** The origin the CORS probes' app lists. */
const CORS_ORIGIN = 'https://app.example.com';

/** Sends a request to an app that lists CORS_ORIGIN in CORS_ORIGINS. */
async function withCors(build: (app: FacetApp) => Test): Promise<Response> {
  const cors = await createTestApp({ seed: false, config: { corsOrigins: [CORS_ORIGIN] } });
  try {
    return await send(build(cors.app));
  } finally {
    await cors.close();
  }
}

/**
 * OPTIONS and a method no path supports (TRACE, which each path's `trace` operation documents for
 * every method it does not list) on every documented path, with the answers at the door.
 */
const METHOD_PROBES: Probe[] = Object.entries(SAMPLE_URLS).flatMap(([path, url]): Probe[] => {
  const kind = kindOf(path);
  const probes: Probe[] = [
    kind === 'short-link'
      ? { op: `OPTIONS ${path}`, status: 404, when: 'as every method but GET and HEAD', run: (app) => send(request(app).options(url)) }
      : { op: `OPTIONS ${path}`, status: 204, when: 'with Allow', run: (app) => send(request(app).options(url)) },
    kind === 'short-link'
      ? { op: `TRACE ${path}`, status: 404, when: 'as every method but GET and HEAD', run: (app) => send(request(app).trace(url)) }
      : { op: `TRACE ${path}`, status: 405, when: 'with Allow, as every method it does not list', run: (app) => send(request(app).trace(url)) },
    ...(['OPTIONS', 'TRACE'] as const).flatMap((method): Probe[] => [
      { op: `${method} ${path}`, status: 414, when: `for a request target over ${MAX_REQUEST_TARGET} characters`, run: (app) => send(call(app, method, `${url}?pad=${'x'.repeat(MAX_REQUEST_TARGET)}`)) },
      { op: `${method} ${path}`, status: 431, when: `for header fields over ${http.maxHeaderSize} bytes`, run: (app) => send(call(withClientErrors(app), method, url).set('X-Padding', 'a'.repeat(http.maxHeaderSize))) },
    ]),
  ];
  if (kind !== 'api') return probes;
  return [
    ...probes,
    {
      op: `OPTIONS ${path}`, status: 204, when: 'to a CORS preflight from a listed origin, with the grant',
      run: () => withCors((app) => request(app).options(url).set('Origin', CORS_ORIGIN).set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'authorization, if-match')),
      headers: {
        vary: 'Origin', allow: null, 'access-control-allow-origin': CORS_ORIGIN, 'access-control-allow-credentials': 'true',
        'access-control-allow-methods': CORS_METHODS, 'access-control-allow-headers': CORS_ALLOWED_HEADERS, 'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
      },
    },
    {
      op: `OPTIONS ${path}`, status: 204, when: 'to a CORS preflight from an origin not listed, without a grant',
      run: () => withCors((app) => request(app).options(url).set('Origin', 'https://elsewhere.example').set('Access-Control-Request-Method', 'PATCH')),
      headers: { vary: 'Origin', allow: null, 'access-control-allow-origin': null, 'access-control-allow-methods': null },
    },
    {
      op: `OPTIONS ${path}`, status: 204, when: 'from a listed origin without Access-Control-Request-Method, with Allow and the grant',
      run: () => withCors((app) => request(app).options(url).set('Origin', CORS_ORIGIN)),
      headers: { 'access-control-allow-origin': CORS_ORIGIN, 'access-control-expose-headers': CORS_EXPOSED_HEADERS, 'access-control-allow-methods': null },
    },
    ...(['OPTIONS', 'TRACE'] as const).flatMap((method): Probe[] => [
      { op: `${method} ${path}`, status: 401, when: 'for an access token that is not valid', run: (app) => send(call(app, method, url).set('Authorization', 'Bearer fct_at_not-a-token')) },
      { op: `${method} ${path}`, status: 503, when: 'for a key while the store fails with an I/O error', run: () => withFailingStore(method, url) },
    ]),
    // A session cookie is not read before the method is refused: no CSRF check, no 403.
    { op: `TRACE ${path}`, status: 405, when: 'for a web session without its CSRF token, which it does not read', run: async (app) => send(request(app).trace(url).set('Cookie', (await webSession(app)).cookie)) },
  ];
});

/** A `?fields=` selection per operation that takes it, summary then full; each leaves out members the whole schema requires. */
const SPARSE_SELECTIONS: [path: string, url: string, summary: string, full: string][] = [
  ['/api/links', '/api/links?limit=3', 'items.code', 'items.code,pageSize'],
  ['/api/links/{code}', '/api/links/facet', 'code,clicks', 'links.self,status'],
  ['/api/links/{code}/stats', '/api/links/facet/stats', 'total', 'total'],
  ['/api/me', '/api/me', 'name', 'id'],
  ['/api/teams/{id}', '/api/teams/team_demo', 'name', 'id,name'],
  ['/api/dashboard', '/api/dashboard', 'recentLinks.code', 'profile.name,links.link.code'],
];

/** A sparse 200 of every operation that takes `fields`, in summary and in full. */
export const SPARSE_PROBES: Probe[] = SPARSE_SELECTIONS.flatMap(([path, url, summary, full]) => ([[SUMMARY, summary], [FULL, full]] as const).map(([type, fields]): Probe => ({
  op: `GET ${path}`, status: 200, when: `with a sparse ${type === SUMMARY ? 'summary' : 'full'} (fields=${fields})`,
  run: (app) => send(request(app).get(`${url}${url.includes('?') ? '&' : '?'}fields=${fields}`).set('Authorization', user).set('Accept', type)),
})));

/** Probes of every documented response; each runs on its own, in any order, against the seeded app. */
export const PROBES: Probe[] = [
  { op: 'GET /{code}', status: 302, when: 'redirecting to the long URL', run: (app) => send(request(app).get('/facet')) },
  { op: 'GET /{code}', status: 404, when: 'for an unknown code', run: (app) => send(request(app).get('/nope42')) },
  { op: 'GET /{code}', status: 410, when: 'for an expired link', run: (app) => send(request(app).get('/demo49')) },

  { op: 'GET /api/links', status: 200, when: 'with a page in the full representation by default', run: (app) => send(request(app).get('/api/links?limit=3').set('Authorization', user)) },
  { op: 'GET /api/links', status: 200, when: 'with a summary page for an iOS client', run: (app) => send(request(app).get('/api/links').set('Authorization', user).set('X-Client-Platform', 'ios')) },
  { op: 'GET /api/links', status: 200, when: 'with a partner.v3 page for a partner key', run: (app) => send(request(app).get('/api/links').set('Authorization', partner)) },
  { op: 'GET /api/links', status: 200, when: 'with a partner.v4 page for a partner key naming it', run: (app) => send(request(app).get('/api/links').set('Authorization', partner).set('Accept', PARTNER_V4)) },
  {
    op: 'GET /api/links', status: 304, when: 'when If-None-Match holds the current ETag',
    run: async (app) => send(request(app).get('/api/links').set('Authorization', user).set('If-None-Match', await etagOf(app, '/api/links', user))),
  },
  { op: 'GET /api/links', status: 400, when: 'for a limit over 100', run: (app) => send(request(app).get('/api/links?limit=101').set('Authorization', user)) },
  { op: 'GET /api/links', status: 400, when: 'for fields naming an unknown member', run: (app) => send(request(app).get('/api/links?fields=items.secret').set('Authorization', user)) },
  { op: 'GET /api/links/{code}', status: 400, when: 'for fields on partner.v3', run: (app) => send(request(app).get('/api/links/facet?fields=id').set('Accept', PARTNER_V3)) },
  { op: 'GET /api/links/{code}', status: 400, when: 'for fields on partner.v4', run: (app) => send(request(app).get('/api/links/facet?fields=tags').set('Accept', PARTNER_V4)) },
  { op: 'GET /api/links/{code}/stats', status: 400, when: 'for fields naming an unknown member', run: (app) => send(request(app).get('/api/links/facet/stats?fields=nope').set('Authorization', user)) },
  { op: 'GET /api/me', status: 400, when: 'for an empty fields', run: (app) => send(request(app).get('/api/me?fields=').set('Authorization', user)) },
  { op: 'GET /api/teams/{id}', status: 400, when: 'for fields naming an unknown member', run: (app) => send(request(app).get('/api/teams/team_demo?fields=nope').set('Authorization', user)) },
  { op: 'GET /api/dashboard', status: 400, when: 'for fields naming a member of another representation', run: (app) => send(request(app).get('/api/dashboard?fields=recentLinks').set('Authorization', user)) },
  { op: 'GET /api/links', status: 401, when: 'without a key', run: (app) => send(request(app).get('/api/links')) },
  { op: 'GET /api/links', status: 406, when: 'when only text/plain is acceptable', run: (app) => send(request(app).get('/api/links').set('Authorization', user).set('Accept', 'text/plain')) },

  {
    op: 'POST /api/links', status: 201, when: 'with the new link for a first-party body',
    run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Accept', SUMMARY).set('Content-Type', JSON_TYPE).send('{"url":"https://example.com/","code":"probe-post"}')),
  },
  {
    op: 'POST /api/links', status: 201, when: 'with the new link for a partner.v3 body',
    run: (app) => send(request(app).post('/api/links').set('Authorization', partner).set('Content-Type', PARTNER_V3).send('{"long_url":"https://example.com/","id":"probe-partner","expires_at":1798761600}')),
  },
  {
    op: 'POST /api/links', status: 201, when: 'with the new link in partner.v4 for a partner.v4 body with tags',
    run: (app) => send(request(app).post('/api/links').set('Authorization', partner).set('Accept', PARTNER_V4).set('Content-Type', PARTNER_V4)
      .send('{"long_url":"https://example.com/","id":"probe-partner-v4","tags":["probe"]}')),
  },
  { op: 'POST /api/links', status: 400, when: 'for a body that is not JSON', run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Content-Type', JSON_TYPE).send('{"url":')) },
  { op: 'POST /api/links', status: 401, when: 'without a key', run: (app) => send(request(app).post('/api/links').set('Content-Type', JSON_TYPE).send('{"url":"https://example.com/"}')) },
  { op: 'POST /api/links', status: 406, when: 'when only text/plain is acceptable', run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Accept', 'text/plain').set('Content-Type', JSON_TYPE).send('{"url":"https://example.com/"}')) },
  { op: 'POST /api/links', status: 409, when: 'for a code already taken', run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Content-Type', JSON_TYPE).send('{"url":"https://example.com/","code":"facet"}')) },
  { op: 'POST /api/links', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Content-Type', JSON_TYPE).send(TOO_LARGE)) },
  { op: 'POST /api/links', status: 415, when: 'for a text/plain body', run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Content-Type', 'text/plain').send('https://example.com/')) },
  { op: 'POST /api/links', status: 422, when: 'for a URL that is not http(s)', run: (app) => send(request(app).post('/api/links').set('Authorization', user).set('Content-Type', JSON_TYPE).send('{"url":"ftp://example.com/"}')) },

  { op: 'GET /api/links/{code}', status: 200, when: 'with the representation Accept names', run: (app) => send(request(app).get('/api/links/facet').set('Accept', SUMMARY)) },
  { op: 'GET /api/links/{code}', status: 200, when: 'with partner.v3 for a partner key and a wildcard', run: (app) => send(request(app).get('/api/links/facet').set('Authorization', partner).set('Accept', '*/*')) },
  { op: 'GET /api/links/{code}', status: 200, when: 'with partner.v4 for a partner key naming it', run: (app) => send(request(app).get('/api/links/demo49').set('Authorization', partner).set('Accept', PARTNER_V4)) },
  { op: 'GET /api/links/{code}', status: 200, when: 'as the browsable page for a browser', run: (app) => send(request(app).get('/api/links/facet').set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')) },
  { op: 'GET /api/links', status: 200, when: 'as the browsable page for a browser', run: (app) => send(request(app).get('/api/links').set('Authorization', user).set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')) },
  { op: 'GET /api/links/{code}/stats', status: 200, when: 'as the browsable page for a browser', run: (app) => send(request(app).get('/api/links/facet/stats').set('Authorization', user).set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')) },
  { op: 'GET /api/me', status: 200, when: 'as the browsable page for a browser', run: (app) => send(request(app).get('/api/me').set('Authorization', user).set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')) },
  { op: 'GET /api/teams/{id}', status: 200, when: 'as the browsable page for a browser', run: (app) => send(request(app).get('/api/teams/team_demo').set('Authorization', user).set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')) },
  { op: 'GET /api/dashboard', status: 200, when: 'as the browsable page for a browser', run: (app) => send(request(app).get('/api/dashboard').set('Authorization', user).set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')) },
  {
    op: 'GET /api/links/{code}', status: 304, when: 'when If-None-Match holds the current ETag',
    run: async (app) => send(request(app).get('/api/links/facet').set('If-None-Match', await etagOf(app, '/api/links/facet'))),
  },
  { op: 'GET /api/links/{code}', status: 401, when: 'when the Authorization header holds an unknown key', run: (app) => send(request(app).get('/api/links/facet').set('Authorization', 'Bearer nope')) },
  { op: 'GET /api/links/{code}', status: 404, when: 'for an unknown code', run: (app) => send(request(app).get('/api/links/nope42')) },
  { op: 'GET /api/links/{code}', status: 406, when: 'when only text/plain is acceptable', run: (app) => send(request(app).get('/api/links/facet').set('Accept', 'text/plain')) },

  {
    op: 'PATCH /api/links/{code}', status: 200, when: 'with the changed link for a merge patch with a current If-Match',
    run: async (app) => {
      const etag = await linkOfUser(app, 'probe-patch');
      return send(request(app).patch('/api/links/probe-patch').set('Authorization', user).set('Accept', FULL).set('If-Match', etag)
        .set('Content-Type', 'application/merge-patch+json').send('{"title":"Patched"}'));
    },
  },
  {
    op: 'PATCH /api/links/{code}', status: 200, when: 'with the changed link in partner.v4 for a partner.v4 body',
    run: (app) => send(request(app).patch('/api/links/demo47').set('Authorization', partner).set('Accept', PARTNER_V4).set('Content-Type', PARTNER_V4).send('{"tags":["probe","v4"]}')),
  },
  { op: 'PATCH /api/links/{code}', status: 400, when: 'for a body that is not JSON', run: (app) => send(request(app).patch('/api/links/facet').set('Authorization', user).set('Content-Type', JSON_TYPE).send('{')) },
  { op: 'PATCH /api/links/{code}', status: 401, when: 'without a key', run: (app) => send(request(app).patch('/api/links/facet').set('Content-Type', JSON_TYPE).send('{"title":"x"}')) },
  { op: 'PATCH /api/links/{code}', status: 404, when: "for another user's link", run: (app) => send(request(app).patch('/api/links/facet').set('Authorization', stranger).set('Content-Type', JSON_TYPE).send('{"title":"x"}')) },
  { op: 'PATCH /api/links/{code}', status: 406, when: 'when only text/plain is acceptable', run: (app) => send(request(app).patch('/api/links/facet').set('Authorization', user).set('Accept', 'text/plain').set('Content-Type', JSON_TYPE).send('{"title":"x"}')) },
  { op: 'PATCH /api/links/{code}', status: 412, when: 'for a stale If-Match', run: (app) => send(request(app).patch('/api/links/facet').set('Authorization', user).set('If-Match', '"stale"').set('Content-Type', JSON_TYPE).send('{"title":"x"}')) },
  { op: 'PATCH /api/links/{code}', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).patch('/api/links/facet').set('Authorization', user).set('Content-Type', JSON_TYPE).send(TOO_LARGE)) },
  { op: 'PATCH /api/links/{code}', status: 415, when: 'for a text/plain body', run: (app) => send(request(app).patch('/api/links/facet').set('Authorization', user).set('Content-Type', 'text/plain').send('x')) },
  { op: 'PATCH /api/links/{code}', status: 422, when: 'for a partner.v4 body with an expiry in the past', run: (app) => send(request(app).patch('/api/links/demo48').set('Authorization', partner).set('Content-Type', PARTNER_V4).send('{"expires_at":1}')) },
  { op: 'PATCH /api/links/{code}', status: 422, when: 'for a partner.v3 body with a URL that is not http(s)', run: (app) => send(request(app).patch('/api/links/demo48').set('Authorization', partner).set('Content-Type', PARTNER_V3).send('{"long_url":"ftp://example.com/"}')) },

  {
    op: 'DELETE /api/links/{code}', status: 204, when: 'for an own link with a current If-Match',
    run: async (app) => {
      const etag = await linkOfUser(app, 'probe-delete');
      return send(request(app).delete('/api/links/probe-delete').set('Authorization', user).set('If-Match', etag));
    },
  },
  { op: 'DELETE /api/links/{code}', status: 401, when: 'without a key', run: (app) => send(request(app).delete('/api/links/facet')) },
  { op: 'DELETE /api/links/{code}', status: 404, when: "for another user's link", run: (app) => send(request(app).delete('/api/links/facet').set('Authorization', stranger)) },
  { op: 'DELETE /api/links/{code}', status: 412, when: 'for a stale If-Match', run: (app) => send(request(app).delete('/api/links/facet').set('Authorization', user).set('If-Match', '"stale"')) },

  { op: 'GET /api/links/{code}/stats', status: 200, when: "with the owner's full stats by default", run: (app) => send(request(app).get('/api/links/facet/stats').set('Authorization', user)) },
  { op: 'GET /api/links/{code}/stats', status: 200, when: 'with partner.v3 stats for a partner key', run: (app) => send(request(app).get('/api/links/demo48/stats').set('Authorization', partner)) },
  { op: 'GET /api/links/{code}/stats', status: 200, when: 'with partner.v4 stats for a partner key naming it', run: (app) => send(request(app).get('/api/links/demo48/stats').set('Authorization', partner).set('Accept', PARTNER_V4)) },
  {
    op: 'GET /api/links/{code}/stats', status: 304, when: 'when If-None-Match holds the current ETag',
    run: async (app) => send(request(app).get('/api/links/facet/stats').set('Authorization', user).set('If-None-Match', await etagOf(app, '/api/links/facet/stats', user))),
  },
  { op: 'GET /api/links/{code}/stats', status: 401, when: 'without a key', run: (app) => send(request(app).get('/api/links/facet/stats')) },
  { op: 'GET /api/links/{code}/stats', status: 404, when: "for another user's link", run: (app) => send(request(app).get('/api/links/facet/stats').set('Authorization', stranger)) },
  { op: 'GET /api/links/{code}/stats', status: 406, when: 'when only text/plain is acceptable', run: (app) => send(request(app).get('/api/links/facet/stats').set('Authorization', user).set('Accept', 'text/plain')) },

  { op: 'GET /api/me', status: 200, when: 'with the summary an Android client gets', run: (app) => send(request(app).get('/api/me').set('Authorization', user).set('X-Client-Platform', 'android')) },
  { op: 'GET /api/me', status: 200, when: 'with partner.v3 for a partner key', run: (app) => send(request(app).get('/api/me').set('Authorization', partner)) },
  { op: 'GET /api/me', status: 200, when: 'with partner.v4 for a partner key naming it', run: (app) => send(request(app).get('/api/me').set('Authorization', partner).set('Accept', PARTNER_V4)) },
  {
    op: 'GET /api/me', status: 304, when: 'when If-None-Match holds the current ETag',
    run: async (app) => send(request(app).get('/api/me').set('Authorization', user).set('If-None-Match', await etagOf(app, '/api/me', user))),
  },
  { op: 'GET /api/me', status: 401, when: 'without a key', run: (app) => send(request(app).get('/api/me')) },
  { op: 'GET /api/me', status: 406, when: 'when only text/plain is acceptable', run: (app) => send(request(app).get('/api/me').set('Authorization', user).set('Accept', 'text/plain')) },

  { op: 'GET /api/teams/{id}', status: 200, when: 'with the full team for a member', run: (app) => send(request(app).get('/api/teams/team_demo').set('Authorization', stranger)) },
  {
    op: 'GET /api/teams/{id}', status: 304, when: 'when If-None-Match holds the current ETag',
    run: async (app) => send(request(app).get('/api/teams/team_demo').set('Authorization', user).set('If-None-Match', await etagOf(app, '/api/teams/team_demo', user))),
  },
  { op: 'GET /api/teams/{id}', status: 401, when: 'without a key', run: (app) => send(request(app).get('/api/teams/team_demo')) },
  { op: 'GET /api/teams/{id}', status: 404, when: 'for a caller who is not a member', run: (app) => send(request(app).get('/api/teams/team_demo').set('Authorization', partner).set('Accept', SUMMARY)) },
  { op: 'GET /api/teams/{id}', status: 406, when: "for a partner key's wildcard, since teams have no partner.v3", run: (app) => send(request(app).get('/api/teams/team_demo').set('Authorization', partner).set('Accept', '*/*')) },

  { op: 'GET /api/dashboard', status: 200, when: 'with the summary an iOS client gets', run: (app) => send(request(app).get('/api/dashboard').set('Authorization', user).set('X-Client-Platform', 'ios')) },
  { op: 'GET /api/dashboard', status: 200, when: 'with the full dashboard by default', run: (app) => send(request(app).get('/api/dashboard').set('Authorization', user)) },
  {
    op: 'GET /api/dashboard', status: 304, when: 'when If-None-Match holds the current ETag',
    run: async (app) => send(request(app).get('/api/dashboard').set('Authorization', user).set('If-None-Match', await etagOf(app, '/api/dashboard', user))),
  },
  { op: 'GET /api/dashboard', status: 401, when: 'without a key', run: (app) => send(request(app).get('/api/dashboard')) },
  { op: 'GET /api/dashboard', status: 403, when: 'for a partner key', run: (app) => send(request(app).get('/api/dashboard').set('Authorization', partner)) },
  { op: 'GET /api/dashboard', status: 406, when: 'when a user key asks for partner.v3', run: (app) => send(request(app).get('/api/dashboard').set('Authorization', user).set('Accept', PARTNER_V3)) },

  { op: 'GET /openapi.yaml', status: 200, when: 'with the contract', run: (app) => send(request(app).get('/openapi.yaml')) },
  { op: 'GET /openapi.yaml', status: 206, when: 'for one byte range', run: (app) => send(request(app).get('/openapi.yaml').set('Range', 'bytes=0-99')) },
  { op: 'GET /openapi.yaml', status: 304, when: 'to its current ETag', run: async (app) => send(request(app).get('/openapi.yaml').set('If-None-Match', await etagOf(app, '/openapi.yaml'))) },
  { op: 'GET /openapi.yaml', status: 412, when: 'to an If-Match naming another version', run: (app) => send(request(app).get('/openapi.yaml').set('If-Match', '"another-version"')) },
  { op: 'GET /openapi.yaml', status: 416, when: 'for a range past its end', run: (app) => send(request(app).get('/openapi.yaml').set('Range', 'bytes=99999999-')) },
  { op: 'GET /representations/{folder}/{file}', status: 200, when: 'with a schema the contract references', run: (app) => send(request(app).get('/representations/link-page/full.schema.json')) },
  { op: 'GET /representations/{folder}/{file}', status: 404, when: 'for a schema that does not exist', run: (app) => send(request(app).get('/representations/link/nope.schema.json')) },
  { op: 'GET /metrics', status: 200, when: 'with Prometheus metrics', run: (app) => send(request(app).get('/metrics')) },
  { op: 'GET /metrics', status: 401, when: 'without the token METRICS_TOKEN sets', run: metricsWithoutToken },
  { op: 'GET /docs', status: 200, when: 'with the reference page', run: (app) => send(request(app).get('/docs')) },
  { op: 'GET /docs', status: 304, when: 'to its current ETag', run: async (app) => send(request(app).get('/docs').set('If-None-Match', await etagOf(app, '/docs'))) },
  { op: 'GET /healthz', status: 200, when: 'while the process runs', run: (app) => send(request(app).get('/healthz')) },
  { op: 'GET /readyz', status: 200, when: 'while the store answers', run: (app) => send(request(app).get('/readyz')) },
  {
    op: 'GET /readyz', status: 503, when: 'when the store is closed',
    run: async () => {
      const broken = await createTestApp({ seed: false });
      await broken.close();
      return send(request(broken.app).get('/readyz'));
    },
  },
  // Signing in, and the three credentials on the resources they open.
  {
    op: 'POST /api/accounts', status: 201, when: 'with the new account in the full representation by default',
    run: (app) => send(request(app).post('/api/accounts').set('Content-Type', JSON_TYPE).send('{"email":"Lin@Example.org","password":"correct horse battery","name":"Lin Chen"}')),
  },
  {
    op: 'POST /api/accounts', status: 201, when: 'with the new account in the summary an iOS client gets',
    run: (app) => send(request(app).post('/api/accounts').set('X-Client-Platform', 'ios').set('Content-Type', JSON_TYPE).send('{"email":"lin-ios@example.org","password":"correct horse battery","name":"Lin Chen"}')),
  },
  { op: 'POST /api/accounts', status: 400, when: 'for a body that is not JSON', run: (app) => send(request(app).post('/api/accounts').set('Content-Type', JSON_TYPE).send('{"email":')) },
  {
    op: 'POST /api/accounts', status: 403, when: 'for a browser request another site made',
    run: (app) => send(request(app).post('/api/accounts').set('Sec-Fetch-Site', 'cross-site').set('Content-Type', JSON_TYPE).send('{"email":"cross@example.org","password":"correct horse battery","name":"X"}')),
  },
  {
    op: 'POST /api/accounts', status: 406, when: 'when only text/plain is acceptable',
    run: (app) => send(request(app).post('/api/accounts').set('Accept', 'text/plain').set('Content-Type', JSON_TYPE).send('{"email":"html@example.org","password":"correct horse battery","name":"H"}')),
  },
  {
    op: 'POST /api/accounts', status: 409, when: 'for an e-mail already registered, in another case',
    run: (app) => send(request(app).post('/api/accounts').set('Content-Type', JSON_TYPE).send('{"email":"ADA@example.com","password":"correct horse battery","name":"Ada"}')),
  },
  { op: 'POST /api/accounts', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/api/accounts').set('Content-Type', JSON_TYPE).send(TOO_LARGE)) },
  { op: 'POST /api/accounts', status: 415, when: 'for a text/plain body', run: (app) => send(request(app).post('/api/accounts').set('Content-Type', 'text/plain').send('ada')) },
  {
    op: 'POST /api/accounts', status: 422, when: 'for a password under 8 characters',
    run: (app) => send(request(app).post('/api/accounts').set('Content-Type', JSON_TYPE).send('{"email":"short@example.org","password":"short","name":"S"}')),
  },

  {
    op: 'POST /api/session', status: 201, when: 'with a session cookie and its CSRF token',
    run: async (app) => send(request(app).post('/api/session').set('Content-Type', JSON_TYPE).send(JSON.stringify(await signUp(app)))),
  },
  { op: 'POST /api/session', status: 400, when: 'for a body that is not JSON', run: (app) => send(request(app).post('/api/session').set('Content-Type', JSON_TYPE).send('{')) },
  {
    op: 'POST /api/session', status: 401, when: 'for an e-mail nobody registered',
    run: (app) => send(request(app).post('/api/session').set('Content-Type', JSON_TYPE).send('{"email":"nobody-web@example.org","password":"whatever-it-is"}')),
  },
  {
    op: 'POST /api/session', status: 401, when: 'for a wrong password',
    run: async (app) => send(request(app).post('/api/session').set('Content-Type', JSON_TYPE).send(JSON.stringify({ ...(await signUp(app)), password: 'not-the-password' }))),
  },
  {
    op: 'POST /api/session', status: 403, when: 'for a same-site request from an origin not in CORS_ORIGINS',
    run: async (app) => send(request(app).post('/api/session').set('Sec-Fetch-Site', 'same-site').set('Origin', 'https://evil.localhost:3000')
      .set('Content-Type', JSON_TYPE).send(JSON.stringify(await signUp(app)))),
  },
  { op: 'POST /api/session', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/api/session').set('Content-Type', JSON_TYPE).send(TOO_LARGE)) },
  { op: 'POST /api/session', status: 415, when: 'for a form body', run: (app) => send(request(app).post('/api/session').set('Content-Type', FORM_TYPE).send('email=a%40example.org&password=x')) },
  { op: 'POST /api/session', status: 422, when: 'for a body without the password', run: (app) => send(request(app).post('/api/session').set('Content-Type', JSON_TYPE).send('{"email":"ada@example.com"}')) },
  { op: 'POST /api/session', status: 429, when: 'after too many failed sign-ins of one account', run: () => pastTheSignInLimit('/api/session') },

  {
    op: 'GET /api/session', status: 200, when: 'with the session for its cookie',
    run: async (app) => send(request(app).get('/api/session').set('Cookie', (await webSession(app)).cookie)),
  },
  { op: 'GET /api/session', status: 401, when: 'without a cookie', run: (app) => send(request(app).get('/api/session')) },
  {
    op: 'GET /api/session', status: 401, when: 'for the session id in a cookie not named exactly __Host-facet_session',
    run: async (app) => send(request(app).get('/api/session').set('Cookie', (await webSession(app)).cookie.replace(SESSION_COOKIE, 'facet_session'))),
  },

  {
    op: 'DELETE /api/session', status: 204, when: 'signing out with the CSRF token',
    run: async (app) => {
      const session = await webSession(app);
      return send(request(app).delete('/api/session').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrfToken));
    },
  },
  { op: 'DELETE /api/session', status: 401, when: 'without a cookie', run: (app) => send(request(app).delete('/api/session')) },
  {
    op: 'DELETE /api/session', status: 403, when: 'without the CSRF token',
    run: async (app) => send(request(app).delete('/api/session').set('Cookie', (await webSession(app)).cookie)),
  },

  {
    op: 'POST /api/tokens', status: 200, when: 'with an access and a refresh token',
    run: async (app) => send(request(app).post('/api/tokens').set('Content-Type', JSON_TYPE).send(JSON.stringify(await signUp(app)))),
  },
  { op: 'POST /api/tokens', status: 400, when: 'for a body that is not JSON', run: (app) => send(request(app).post('/api/tokens').set('Content-Type', JSON_TYPE).send('{')) },
  {
    op: 'POST /api/tokens', status: 401, when: 'for a wrong password',
    run: async (app) => send(request(app).post('/api/tokens').set('Content-Type', JSON_TYPE).send(JSON.stringify({ ...(await signUp(app)), password: 'not-the-password' }))),
  },
  { op: 'POST /api/tokens', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/api/tokens').set('Content-Type', JSON_TYPE).send(TOO_LARGE)) },
  { op: 'POST /api/tokens', status: 415, when: 'for a form body', run: (app) => send(request(app).post('/api/tokens').set('Content-Type', FORM_TYPE).send('grant_type=password&username=ada%40example.com&password=x')) },
  { op: 'POST /api/tokens', status: 422, when: 'for an unknown field', run: (app) => send(request(app).post('/api/tokens').set('Content-Type', JSON_TYPE).send('{"email":"ada@example.com","password":"x","scope":"all"}')) },
  { op: 'POST /api/tokens', status: 429, when: 'after too many failed sign-ins of one account', run: () => pastTheSignInLimit('/api/tokens') },

  {
    op: 'POST /oauth/token', status: 200, when: 'with new tokens for the latest refresh token',
    run: async (app) => send(request(app).post('/oauth/token').set('Content-Type', FORM_TYPE).send(`grant_type=refresh_token&refresh_token=${(await mobileTokens(app)).refresh_token}`)),
  },
  {
    op: 'POST /oauth/token', status: 400, when: 'for the password grant',
    run: (app) => send(request(app).post('/oauth/token').set('Content-Type', FORM_TYPE).send('grant_type=password&username=ada%40example.com&password=ada-demo-password')),
  },
  {
    op: 'POST /oauth/token', status: 400, when: 'for a refresh token two rotations old',
    run: async (app) => {
      const first = (await mobileTokens(app)).refresh_token;
      await refreshed(app, await refreshed(app, first));
      return send(request(app).post('/oauth/token').set('Content-Type', FORM_TYPE).send(`grant_type=refresh_token&refresh_token=${first}`));
    },
  },
  { op: 'POST /oauth/token', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/oauth/token').set('Content-Type', FORM_TYPE).send(`grant_type=refresh_token&refresh_token=${'a'.repeat(17 * 1024)}`)) },
  { op: 'POST /oauth/token', status: 400, when: 'for a JSON body', run: (app) => send(request(app).post('/oauth/token').set('Content-Type', JSON_TYPE).send('{"grant_type":"refresh_token"}')) },
  {
    op: 'POST /oauth/token', status: 503, when: 'while the store fails with an I/O error',
    run: () => withFailingCredentials((app, tokens) => request(app).post('/oauth/token').set('Content-Type', FORM_TYPE).send(`grant_type=refresh_token&refresh_token=${tokens.refresh_token}`)),
  },

  {
    op: 'POST /oauth/revoke', status: 200, when: 'revoking a refresh token',
    run: async (app) => send(request(app).post('/oauth/revoke').set('Content-Type', FORM_TYPE).send(`token=${(await mobileTokens(app)).refresh_token}&token_type_hint=refresh_token`)),
  },
  { op: 'POST /oauth/revoke', status: 200, when: 'for a token that is not valid', run: (app) => send(request(app).post('/oauth/revoke').set('Content-Type', FORM_TYPE).send('token=fct_rt_not-a-token')) },
  { op: 'POST /oauth/revoke', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/oauth/revoke').set('Content-Type', FORM_TYPE).send(`token=${'a'.repeat(17 * 1024)}`)) },
  { op: 'POST /oauth/revoke', status: 400, when: 'without a token', run: (app) => send(request(app).post('/oauth/revoke').set('Content-Type', FORM_TYPE).send('token_type_hint=refresh_token')) },
  {
    op: 'POST /oauth/revoke', status: 503, when: 'while the store fails with an I/O error',
    run: () => withFailingCredentials((app, tokens) => request(app).post('/oauth/revoke').set('Content-Type', FORM_TYPE).send(`token=${tokens.refresh_token}`)),
  },

  {
    op: 'POST /api/me/password', status: 204, when: 'for a mobile access token and the current password',
    run: async (app) => {
      const tokens = await mobileTokens(app);
      return send(request(app).post('/api/me/password').set('Authorization', `Bearer ${tokens.access_token}`).set('Content-Type', JSON_TYPE)
        .send(JSON.stringify({ currentPassword: tokens.password, newPassword: 'a brand new password' })));
    },
  },
  {
    op: 'POST /api/me/password', status: 204, when: 'for a web session with its CSRF token, clearing its cookie',
    run: async (app) => {
      const session = await webSession(app);
      return send(request(app).post('/api/me/password').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrfToken).set('Content-Type', JSON_TYPE)
        .send(JSON.stringify({ currentPassword: session.password, newPassword: 'a brand new password' })));
    },
  },
  { op: 'POST /api/me/password', status: 400, when: 'for a body that is not JSON', run: (app) => send(request(app).post('/api/me/password').set('Authorization', user).set('Content-Type', JSON_TYPE).send('{')) },
  {
    op: 'POST /api/me/password', status: 401, when: 'without a credential',
    run: (app) => send(request(app).post('/api/me/password').set('Content-Type', JSON_TYPE).send('{"currentPassword":"ada-demo-password","newPassword":"a brand new password"}')),
  },
  {
    op: 'POST /api/me/password', status: 403, when: 'for a web session from another site',
    run: async (app) => {
      const session = await webSession(app);
      return send(request(app).post('/api/me/password').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrfToken).set('Sec-Fetch-Site', 'cross-site')
        .set('Content-Type', JSON_TYPE).send(JSON.stringify({ currentPassword: session.password, newPassword: 'a brand new password' })));
    },
  },
  { op: 'POST /api/me/password', status: 413, when: 'for a body over 16 KiB', run: (app) => send(request(app).post('/api/me/password').set('Authorization', user).set('Content-Type', JSON_TYPE).send(TOO_LARGE)) },
  { op: 'POST /api/me/password', status: 415, when: 'for a text/plain body', run: (app) => send(request(app).post('/api/me/password').set('Authorization', user).set('Content-Type', 'text/plain').send('x')) },
  {
    op: 'POST /api/me/password', status: 422, when: 'for a current password that is wrong',
    run: async (app) => send(request(app).post('/api/me/password').set('Authorization', `Bearer ${(await mobileTokens(app)).access_token}`).set('Content-Type', JSON_TYPE)
      .send('{"currentPassword":"not-the-password","newPassword":"a brand new password"}')),
  },

  { op: 'GET /api/me', status: 200, when: 'with the summary for a mobile access token', run: async (app) => send(request(app).get('/api/me').set('Authorization', `Bearer ${(await mobileTokens(app)).access_token}`)) },
  { op: 'GET /api/dashboard', status: 200, when: 'with the full dashboard for a web session', run: async (app) => send(request(app).get('/api/dashboard').set('Cookie', (await webSession(app)).cookie)) },
  { op: 'GET /api/links/{code}', status: 200, when: 'ignoring a session cookie', run: async (app) => send(request(app).get('/api/links/facet').set('Cookie', (await webSession(app)).cookie)) },
  { op: 'GET /api/links', status: 401, when: 'for an access token that is not valid', run: (app) => send(request(app).get('/api/links').set('Authorization', 'Bearer fct_at_not-a-token')) },
  {
    op: 'POST /api/links', status: 201, when: 'for a web session with its CSRF token',
    run: async (app) => {
      const session = await webSession(app);
      return send(request(app).post('/api/links').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrfToken).set('Content-Type', JSON_TYPE)
        .send('{"url":"https://example.com/","code":"probe-session"}'));
    },
  },
  {
    op: 'POST /api/links', status: 403, when: 'for a web session without its CSRF token',
    run: async (app) => send(request(app).post('/api/links').set('Cookie', (await webSession(app)).cookie).set('Content-Type', JSON_TYPE).send('{"url":"https://example.com/"}')),
  },
  { op: 'GET /api/links', status: 403, when: 'for a key without links:read', run: () => withScopedKey(['stats:read'], (app, auth) => request(app).get('/api/links').set('Authorization', auth)) },
  {
    op: 'PATCH /api/links/{code}', status: 403, when: 'for a key without links:write',
    run: () => withScopedKey(['links:read'], (app, auth) => request(app).patch('/api/links/facet').set('Authorization', auth).set('Content-Type', JSON_TYPE).send('{"title":"x"}')),
  },
  {
    op: 'DELETE /api/links/{code}', status: 403, when: 'for a web session from another site',
    run: async (app) => {
      const session = await webSession(app);
      return send(request(app).delete('/api/links/facet').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrfToken).set('Sec-Fetch-Site', 'cross-site'));
    },
  },
  { op: 'GET /api/links/{code}/stats', status: 403, when: 'for a key without stats:read', run: () => withScopedKey(['links:read'], (app, auth) => request(app).get('/api/links/facet/stats').set('Authorization', auth)) },
  { op: 'GET /api/dashboard', status: 403, when: 'for a key without links:read', run: () => withScopedKey(['stats:read'], (app, auth) => request(app).get('/api/dashboard').set('Authorization', auth)) },

  ...OPERATIONS.map(([method, path, url]): Probe => ({
    op: `${method} ${path}`, status: 414, when: `for a request target over ${MAX_REQUEST_TARGET} characters`,
    run: (app) => send(call(app, method, `${url}?pad=${'x'.repeat(MAX_REQUEST_TARGET)}`)),
  })),
  ...OPERATIONS.map(([method, path, url]): Probe => ({
    op: `${method} ${path}`, status: 431, when: `for header fields over ${http.maxHeaderSize} bytes`,
    run: (app) => send(call(withClientErrors(app), method, url).set('X-Padding', 'a'.repeat(http.maxHeaderSize))),
  })),
  ...NEEDS_STORE.map(([method, path, url]): Probe => ({
    op: `${method} ${path}`, status: 503, when: 'while the store fails with an I/O error', run: () => withFailingStore(method, url),
  })),
  ...WRITES_AND_REDIRECTS.map(([method, path, url]): Probe => ({
    op: `${method} ${path}`, status: 429, when: 'past the rate limit of its client address', run: () => pastTheRateLimit(method, url),
  })),
  ...OPERATIONS.filter(([method, path]) => method === 'GET' && [...NEGOTIATED_GETS, '/api/links'].includes(path)).map(([method, path, url]): Probe => ({
    op: `${method} ${path}`, status: 429, when: 'past the read quota of its credential', run: () => pastTheReadQuota(url),
  })),
  ...OPERATIONS.filter(([method, path]) => method === 'GET' && NEGOTIATED_GETS.includes(path)).map(([method, path, url]): Probe => ({
    op: `${method} ${path}`, status: 400, when: `for an Accept of more than ${MAX_ACCEPT_RANGES} ranges`,
    run: (app) => send(call(app, method, url).set('Authorization', user).set('Accept', 'text/plain, '.repeat(MAX_ACCEPT_RANGES + 1))),
  })),
  { op: 'GET /{code}', status: 400, when: 'for a code that is not well-formed percent-encoding', run: (app) => send(request(app).get('/%ZZ')) },
  ...SPARSE_PROBES,
  ...METHOD_PROBES,
];
