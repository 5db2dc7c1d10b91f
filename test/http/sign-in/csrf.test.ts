import request from 'supertest';
import type { Response } from 'supertest';
import { FULL } from '../../../representations/media-types';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { bearer, varyOf } from '../http-expect';
import type { SignedIn } from './sign-in-helpers';
import {
  ADA, changeOneCharacter, freshEmail, GRACE, OWN_ORIGIN, postSession, setCookiesOf, signIn, SPA_ORIGIN,
} from './sign-in-helpers';

let t: TestApp;
let ada: SignedIn;
let grace: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ config: { corsOrigins: [SPA_ORIGIN] } });
  ada = await signIn(t, ADA);
  grace = await signIn(t, GRACE);
});
afterAll(async () => { await t.close(); });

let serial = 0;
/** Creates a fresh link of Ada's with her API key; returns its code. */
async function adaLink(): Promise<string> {
  serial += 1;
  const code = `csrf-${serial}`;
  const res = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Content-Type', 'application/json')
    .send(JSON.stringify({ url: `https://example.com/${code}`, code, title: 'Original' }));
  expect(res.status).toBe(201);
  return code;
}

type Write = 'POST' | 'PATCH' | 'DELETE';
const WRITES: Write[] = ['POST', 'PATCH', 'DELETE'];

/** A write sent with Ada's session cookie and these headers, and whether it changed the store (read back there). */
async function cookieWrite(write: Write, headers: Record<string, string>): Promise<{ res: Response; changed: () => Promise<boolean> }> {
  const all = { Cookie: ada.cookie, Accept: FULL, ...headers };
  if (write === 'POST') {
    serial += 1;
    const code = `csrf-new-${serial}`;
    const res = await request(t.app).post('/api/links').set(all).set('Content-Type', 'application/json')
      .send(JSON.stringify({ url: `https://example.com/${code}`, code }));
    return { res, changed: async () => (await t.store.links.findByCode(code, { fresh: true })) !== null };
  }
  const code = await adaLink();
  const res = write === 'PATCH'
    ? await request(t.app).patch(`/api/links/${code}`).set(all).set('Content-Type', 'application/json').send(JSON.stringify({ title: 'Changed' }))
    : await request(t.app).delete(`/api/links/${code}`).set(all);
  const changed = async () => {
    const link = await t.store.links.findByCode(code, { fresh: true });
    return write === 'PATCH' ? link?.title !== 'Original' : link === null;
  };
  return { res, changed };
}

/** Headers of a request another page could make the browser send with Ada's cookie; each must be refused. */
const REFUSED: [string, () => Record<string, string>][] = [
  ['without X-CSRF-Token', () => ({})],
  ['with an empty X-CSRF-Token', () => ({ 'X-CSRF-Token': '' })],
  ['with a wrong X-CSRF-Token of the right length', () => ({ 'X-CSRF-Token': changeOneCharacter(ada.csrfToken, 5) })],
  ['with the token cut short by one character', () => ({ 'X-CSRF-Token': ada.csrfToken.slice(0, -1) })],
  ['with another session\'s X-CSRF-Token', () => ({ 'X-CSRF-Token': grace.csrfToken })],
  ['with Sec-Fetch-Site: cross-site and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' })],
  ['with Sec-Fetch-Site: cross-site from a listed origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'cross-site', Origin: SPA_ORIGIN })],
  ['with Sec-Fetch-Site: same-site from an unlisted origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'same-site', Origin: 'http://blog.localhost:3000' })],
  ['with Sec-Fetch-Site: same-site and no Origin', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'same-site' })],
  ['with an unknown Sec-Fetch-Site value', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'same-planet' })],
  ['without Fetch Metadata from another site\'s Origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, Origin: 'https://evil.example' })],
  ['without Fetch Metadata from Origin: null and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, Origin: 'null' })],
  ['without Fetch Metadata from our host on another scheme', () => ({ 'X-CSRF-Token': ada.csrfToken, Origin: 'https://localhost:3000' })],
];

/** Headers of requests Ada's own pages make; each must go through. */
const ALLOWED: [string, () => Record<string, string>][] = [
  ['with the right token and no Fetch Metadata or Origin', () => ({ 'X-CSRF-Token': ada.csrfToken })],
  ['with Sec-Fetch-Site: same-origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'same-origin', Origin: OWN_ORIGIN })],
  ['with Sec-Fetch-Site: same-site from a listed origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'same-site', Origin: SPA_ORIGIN })],
  ['with Sec-Fetch-Site: none and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, 'Sec-Fetch-Site': 'none' })],
  ['without Fetch Metadata from PUBLIC_BASE_URL\'s Origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, Origin: OWN_ORIGIN })],
  ['without Fetch Metadata from a listed Origin and the right token', () => ({ 'X-CSRF-Token': ada.csrfToken, Origin: SPA_ORIGIN })],
];

const cases = (list: [string, () => Record<string, string>][]) => WRITES.flatMap((write) => list.map(([name, headers]) => [write, name, headers] as const));

describe('CSRF on cookie-authenticated writes', () => {
  it.each(cases(REFUSED))('refuses a %s /api/links %s with 403 csrf-rejected, changing nothing', async (write, _name, headers) => {
    const { res, changed } = await cookieWrite(write, headers());
    expectProblem(t.registry, res, 403, 'csrf-rejected');
    expect(await changed()).toBe(false);
  });

  it.each(cases(ALLOWED))('allows a %s /api/links %s', async (write, _name, headers) => {
    const { res, changed } = await cookieWrite(write, headers());
    expect(res.status).toBe(write === 'POST' ? 201 : write === 'PATCH' ? 200 : 204);
    expectValidBody(t.registry, res, 'link');
    expect(await changed()).toBe(true);
  });

  it.each(WRITES)('lets a %s with Authorization: Bearer demo_user_key through without a CSRF token, even cross-site and beside the cookie', async (write) => {
    const { res, changed } = await cookieWrite(write, { Authorization: bearer(KEYS.user), 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
    expect(res.status).toBe(write === 'POST' ? 201 : write === 'PATCH' ? 200 : 204);
    expectValidBody(t.registry, res, 'link');
    expect(await changed()).toBe(true);
  });

  it('reads a cross-site GET with the cookie (safe methods need no token) but shares it with no other site', async () => {
    const res = await request(t.app).get('/api/me').set('Cookie', ada.cookie).set('Sec-Fetch-Site', 'cross-site').set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the sign-in origin check (Fetch Metadata and Origin, no token)', () => {
  it('refuses POST /api/session with Sec-Fetch-Site: cross-site with 403 csrf-rejected and no cookie', async () => {
    const res = await postSession(t, { email: ADA.email, password: ADA.password }, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
    expectProblem(t.registry, res, 403, 'csrf-rejected');
    expect(setCookiesOf(res)).toEqual([]);
  });

  it.each([
    ['another site\'s Origin without Fetch Metadata', { Origin: 'https://evil.example' }],
    ['Origin: null', { Origin: 'null' }],
    ['Sec-Fetch-Site: same-site from an unlisted origin', { 'Sec-Fetch-Site': 'same-site', Origin: 'http://blog.localhost:3000' }],
  ])('refuses POST /api/session from %s', async (_name, headers) => {
    const res = await postSession(t, { email: ADA.email, password: ADA.password }, headers);
    expectProblem(t.registry, res, 403, 'csrf-rejected');
    expect(setCookiesOf(res)).toEqual([]);
  });

  it.each([
    ['Sec-Fetch-Site: same-origin', { 'Sec-Fetch-Site': 'same-origin', Origin: OWN_ORIGIN }],
    ['PUBLIC_BASE_URL\'s Origin without Fetch Metadata', { Origin: OWN_ORIGIN }],
    ['Sec-Fetch-Site: same-site from a listed origin', { 'Sec-Fetch-Site': 'same-site', Origin: SPA_ORIGIN }],
  ])('signs in with POST /api/session from %s', async (_name, headers) => {
    const session = await signIn(t, ADA, headers);
    expect(session.res.status).toBe(201);
  });

  it('refuses POST /api/accounts with Sec-Fetch-Site: cross-site and creates no account', async () => {
    const account = { email: freshEmail('csrf'), password: 'a cross-site password', name: 'Forged' };
    const res = await request(t.app).post('/api/accounts').set('Content-Type', 'application/json').set('Sec-Fetch-Site', 'cross-site')
      .send(JSON.stringify(account));
    expectProblem(t.registry, res, 403, 'csrf-rejected');
    expect((await postSession(t, { email: account.email, password: account.password })).status).toBe(401);
    const sameOrigin = await request(t.app).post('/api/accounts').set('Content-Type', 'application/json').set('Sec-Fetch-Site', 'same-origin')
      .send(JSON.stringify(account));
    expect(sameOrigin.status).toBe(201);
    expectValidBody(t.registry, sameOrigin, 'me');
  });
});

describe('CORS with credentials', () => {
  it('grants a listed origin\'s GET /api/me with the cookie: the exact origin, never *, and Allow-Credentials', async () => {
    const res = await request(t.app).get('/api/me').set('Cookie', ada.cookie).set('Origin', SPA_ORIGIN).set('Sec-Fetch-Site', 'same-site');
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
    expect(res.headers['access-control-allow-origin']).toBe(SPA_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(varyOf(res)).toEqual(expect.arrayContaining(['origin', 'cookie']));
  });

  it('answers a listed origin\'s preflight allowing X-CSRF-Token with credentials', async () => {
    const res = await request(t.app).options('/api/links').set('Origin', SPA_ORIGIN)
      .set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,x-csrf-token');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(SPA_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect((res.headers['access-control-allow-headers'] as string).toLowerCase().split(/\s*,\s*/)).toContain('x-csrf-token');
    expect(res.headers['access-control-allow-methods']).toMatch(/\bPOST\b/);
    expect(res.text ?? '').toBe('');
  });

  it('grants a listed origin\'s sign-in, so its page can read the session body', async () => {
    const session = await signIn(t, ADA, { Origin: SPA_ORIGIN, 'Sec-Fetch-Site': 'same-site' });
    expect(session.res.headers['access-control-allow-origin']).toBe(SPA_ORIGIN);
    expect(session.res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('grants an unlisted origin nothing, on the request or its preflight', async () => {
    const res = await request(t.app).get('/api/me').set('Cookie', ada.cookie).set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await request(t.app).options('/api/links').set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'x-csrf-token');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });
});
