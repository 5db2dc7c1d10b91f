import request from 'supertest';
import { FULL } from '../../../representations/media-types';
import { generateSecret } from '../../../src/domain/secrets';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp, FIXED_NOW, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { varyOf } from '../http-expect';
import type { SessionBody, SignedIn } from './sign-in-helpers';
import {
  ADA, changeOneCharacter, expectJsonBody, GRACE, parseSetCookie, postSession, SESSION_COOKIE, setCookiesOf, signIn, stableHeaders,
} from './sign-in-helpers';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const SESSION_ID = /^fct_ses_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;
const inSeconds = (seconds: number) => new Date(FIXED_NOW.getTime() + seconds * 1000).toISOString();

/** GET `path` sending exactly this Cookie header (or none). */
function getWith(path: string, cookie: string | string[] | undefined) {
  const req = request(t.app).get(path).set('Accept', FULL);
  if (cookie === undefined) return req;
  return Array.isArray(cookie) ? req.set('Cookie', cookie) : req.set('Cookie', cookie);
}

describe('POST /api/session', () => {
  it('answers 201 with exactly the __Host- session cookie: Max-Age of the absolute lifetime, Path=/, Secure, HttpOnly, SameSite=Strict, no Domain', async () => {
    const { res, id } = await signIn(t);
    expect(res.status).toBe(201);
    const [header] = setCookiesOf(res);
    expect(header).toBe(`__Host-facet_session=${id}; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Strict`);
    const cookie = parseSetCookie(header!);
    expect(cookie.name).toBe(SESSION_COOKIE);
    expect(cookie.attributes).toEqual({ 'max-age': '28800', path: '/', secure: true, httponly: true, samesite: 'Strict' });
    expect(cookie.attributes).not.toHaveProperty('domain');
    expect(cookie.attributes).not.toHaveProperty('expires');
  });

  it('answers the session body with no-store: the CSRF token, both ends and the user, never the id', async () => {
    const { res, body, id } = await signIn(t);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers.location).toBe('/api/session');
    expect(body).toEqual({
      csrfToken: expect.any(String) as string,
      expiresAt: inSeconds(28800),
      idleExpiresAt: inSeconds(1800),
      user: { id: ADA.id, name: ADA.name, email: ADA.email },
    });
    expect(body.csrfToken).not.toBe(id);
    expect(res.text).not.toContain(id);
    expect(res.text).not.toContain(ADA.password);
  });

  it('mints a session id of at least 128 random bits that differs on every sign-in', async () => {
    const sessions: SignedIn[] = [];
    for (let i = 0; i < 5; i += 1) sessions.push(await signIn(t, i % 2 === 0 ? ADA : GRACE));
    for (const { id } of sessions) {
      const random = SESSION_ID.exec(id)?.[1];
      expect(random).toBeDefined();
      expect(random!.length * Math.log2(62)).toBeGreaterThanOrEqual(128);
    }
    expect(new Set(sessions.map((s) => s.id)).size).toBe(5);
    expect(new Set(sessions.map((s) => s.csrfToken)).size).toBe(5);
  });

  it('signs in whatever the case of the e-mail address', async () => {
    const session = await signIn(t, { email: 'ADA@Example.COM', password: ADA.password });
    expect(session.body.user.email).toBe(ADA.email);
  });

  it('answers 401 invalid-credentials with a Bearer challenge and sets no cookie for a wrong password', async () => {
    const res = await postSession(t, { email: ADA.email, password: 'not-adas-password' });
    expectProblem(t.registry, res, 401, 'invalid-credentials');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(setCookiesOf(res)).toEqual([]);
  });

  it.each([
    ['no password', { email: ADA.email }],
    ['an unknown field', { email: ADA.email, password: ADA.password, remember: true }],
    ['a password longer than 1024 characters', { email: ADA.email, password: 'x'.repeat(1025) }],
  ])('answers 422 and sets no cookie for a body with %s', async (_name, body) => {
    const res = await postSession(t, body);
    expectProblem(t.registry, res, 422, 'validation-failed');
    expect(setCookiesOf(res)).toEqual([]);
  });

  it('answers 415 for a form body', async () => {
    const res = await request(t.app).post('/api/session').type('form').send({ email: ADA.email, password: ADA.password });
    expectProblem(t.registry, res, 415, 'unsupported-media-type');
    expect(setCookiesOf(res)).toEqual([]);
  });
});

describe('session fixation (OWASP Session Management: renew the id at sign-in)', () => {
  it.each([
    ['an attacker-chosen value', () => 'attacker-chosen-session-id'],
    ['a well-formed id with a valid checksum that the attacker made up', () => generateSecret('fct_ses_')],
  ])('never adopts %s sent with the sign-in: the new id differs and the planted one stays signed out', async (_name, plant) => {
    const planted = plant();
    const session = await signIn(t, ADA, { Cookie: `${SESSION_COOKIE}=${planted}` });
    expect(session.id).not.toBe(planted);
    expect(session.id).toMatch(SESSION_ID);
    expectProblem(t.registry, await getWith('/api/session', `${SESSION_COOKIE}=${planted}`), 401, 'unauthorized');
    expectProblem(t.registry, await getWith('/api/me', `${SESSION_COOKIE}=${planted}`), 401, 'unauthorized');
    expect((await getWith('/api/session', session.cookie)).status).toBe(200);
  });

  it('gives a new id to a sign-in that sends an earlier live session', async () => {
    const earlier = await signIn(t, GRACE);
    const later = await signIn(t, ADA, { Cookie: earlier.cookie });
    expect(later.id).not.toBe(earlier.id);
    expect(later.csrfToken).not.toBe(earlier.csrfToken);
    const res = await getWith('/api/session', later.cookie);
    expect(expectJsonBody<SessionBody>(t, res, 'session').user.id).toBe(ADA.id);
  });
});

describe('GET /api/session', () => {
  it('answers 200 with the session of the cookie, no-store and Vary: Cookie', async () => {
    const session = await signIn(t);
    const res = await getWith('/api/session', session.cookie);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(varyOf(res)).toContain('cookie');
    expect(expectJsonBody<SessionBody>(t, res, 'session')).toEqual(session.body);
  });

  it('answers HEAD with 200, the same headers and no body', async () => {
    const session = await signIn(t);
    const res = await request(t.app).head('/api/session').set('Cookie', session.cookie);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(varyOf(res)).toContain('cookie');
    expect(res.text ?? '').toBe('');
  });

  it('answers 401 unauthorized with a Bearer challenge and Vary: Cookie without the cookie', async () => {
    const res = await getWith('/api/session', undefined);
    expectProblem(t.registry, res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet"');
    expect(varyOf(res)).toContain('cookie');
  });
});

describe('no account enumeration', () => {
  it.each(['/api/session', '/api/tokens'])('answers %s for an unknown e-mail exactly as for a wrong password: status, headers and bytes', async (path) => {
    const send = (email: string) => request(t.app).post(path).set('Content-Type', 'application/json').send(JSON.stringify({ email, password: 'a wrong password' }));
    const unknown = await send('nobody-at-all@example.com');
    const wrong = await send(ADA.email);
    expectProblem(t.registry, unknown, 401, 'invalid-credentials');
    expectProblem(t.registry, wrong, 401, 'invalid-credentials');
    expect(stableHeaders(unknown)).toEqual(stableHeaders(wrong));
    expect(Buffer.from(unknown.text).equals(Buffer.from(wrong.text))).toBe(true);
    expect(unknown.text).not.toContain('nobody-at-all');
  });
});

describe('which cookies sign in', () => {
  let session: SignedIn;
  beforeAll(async () => { session = await signIn(t); });

  it('signs in GET /api/me with exactly one __Host-facet_session cookie, among others', async () => {
    const res = await getWith('/api/me', `theme=dark; ${session.cookie}; other=1`);
    expect(res.status).toBe(200);
    expect(expectValidBody(t.registry, res, 'me').id).toBe(ADA.id);
  });

  it.each([
    ['facet_session (no prefix)', (id: string) => `facet_session=${id}`],
    ['__Secure-facet_session', (id: string) => `__Secure-facet_session=${id}`],
    ['__host-facet_session (the name in another case)', (id: string) => `__host-facet_session=${id}`],
    ['two __Host-facet_session cookies with the same value', (id: string) => `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}=${id}`],
    ['two __Host-facet_session cookies, one planted beside the real one', (id: string) => `${SESSION_COOKIE}=${generateSecret('fct_ses_')}; ${SESSION_COOKIE}=${id}`],
    ['a value with one character changed (its checksum fails)', (id: string) => `${SESSION_COOKIE}=${changeOneCharacter(id, 20)}`],
    ['a value whose checksum is changed', (id: string) => `${SESSION_COOKIE}=${changeOneCharacter(id, id.length - 1)}`],
    ['a value with a suffix', (id: string) => `${SESSION_COOKIE}=${id}x`],
  ])('answers 401 on GET /api/me for the live session id sent as %s', async (_name, cookie) => {
    const res = await getWith('/api/me', cookie(session.id));
    expectProblem(t.registry, res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet"');
  });

  it('answers 401 for an API key or an access token put in the session cookie', async () => {
    const tokens = await request(t.app).post('/api/tokens').set('Content-Type', 'application/json').send(JSON.stringify({ email: ADA.email, password: ADA.password }));
    const { access_token: accessToken } = expectJsonBody<{ access_token: string }>(t, tokens, 'tokenResponse');
    for (const secret of [KEYS.user, accessToken]) {
      expectProblem(t.registry, await getWith('/api/me', `${SESSION_COOKIE}=${secret}`), 401, 'unauthorized');
    }
  });

  it('lets Authorization decide who is calling when both it and the cookie are sent', async () => {
    const res = await request(t.app).get('/api/me').set('Cookie', session.cookie).set('Authorization', `Bearer ${KEYS.other}`).set('Accept', FULL);
    expect(expectValidBody(t.registry, res, 'me').id).toBe(GRACE.id);
    expectProblem(t.registry, await request(t.app).get('/api/me').set('Cookie', session.cookie).set('Authorization', 'Bearer fct_user_unknown'), 401, 'invalid-key');
  });

  it('answers 401 invalid-key for the session id sent as a Bearer credential', async () => {
    const res = await request(t.app).get('/api/me').set('Authorization', `Bearer ${session.id}`);
    expectProblem(t.registry, res, 401, 'invalid-key');
  });

  it('answers 401 for the live session id in two separate Cookie header lines', async () => {
    expectProblem(t.registry, await getWith('/api/me', [session.cookie, session.cookie]), 401, 'unauthorized');
  });
});

describe('DELETE /api/session', () => {
  const signOut = (session: SignedIn, headers: Record<string, string> = {}) => request(t.app).delete('/api/session').set('Cookie', session.cookie).set(headers);

  it('answers 204 with the CSRF token, clearing the cookie with the same attributes and Clear-Site-Data', async () => {
    const session = await signIn(t);
    const res = await signOut(session, { 'X-CSRF-Token': session.csrfToken });
    expect(res.status).toBe(204);
    expectValidBody(t.registry, res);
    expect(setCookiesOf(res)).toEqual(['__Host-facet_session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict']);
    expect(parseSetCookie(setCookiesOf(res)[0]!).attributes).toEqual({ 'max-age': '0', path: '/', secure: true, httponly: true, samesite: 'Strict' });
    expect(res.headers['clear-site-data']).toBe('"cookies", "storage"');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses the old cookie afterwards on every route', async () => {
    const session = await signIn(t);
    expect((await signOut(session, { 'X-CSRF-Token': session.csrfToken })).status).toBe(204);
    expectProblem(t.registry, await getWith('/api/session', session.cookie), 401, 'unauthorized');
    expectProblem(t.registry, await getWith('/api/me', session.cookie), 401, 'unauthorized');
    expectProblem(t.registry, await getWith('/api/dashboard', session.cookie), 401, 'unauthorized');
    expectProblem(t.registry, await signOut(session, { 'X-CSRF-Token': session.csrfToken }), 401, 'unauthorized');
  });

  it('ends only its own session: another session of the same user goes on', async () => {
    const ending = await signIn(t);
    const other = await signIn(t);
    expect((await signOut(ending, { 'X-CSRF-Token': ending.csrfToken })).status).toBe(204);
    expect((await getWith('/api/me', other.cookie)).status).toBe(200);
  });

  it.each([
    ['without the CSRF token', (_s: SignedIn) => ({})],
    ['with a wrong CSRF token', (s: SignedIn) => ({ 'X-CSRF-Token': changeOneCharacter(s.csrfToken, 3) })],
    ['from another site, even with the token', (s: SignedIn) => ({ 'X-CSRF-Token': s.csrfToken, 'Sec-Fetch-Site': 'cross-site' })],
  ])('answers 403 csrf-rejected %s, and the session still works', async (_name, headers) => {
    const session = await signIn(t);
    const res = await signOut(session, headers(session));
    expectProblem(t.registry, res, 403, 'csrf-rejected');
    expect(setCookiesOf(res)).toEqual([]);
    expect(res.headers['clear-site-data']).toBeUndefined();
    const still = await getWith('/api/session', session.cookie);
    expect(expectJsonBody<SessionBody>(t, still, 'session').user.id).toBe(ADA.id);
  });

  it('answers 401 without a session', async () => {
    const res = await request(t.app).delete('/api/session');
    expectProblem(t.registry, res, 401, 'unauthorized');
  });
});
