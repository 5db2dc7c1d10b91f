import request from 'supertest';
import { FULL } from '../../../representations/media-types';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { bearer } from '../http-expect';
import type { Account, SignedIn } from './sign-in-helpers';
import { expectJsonBody, freshEmail, GRACE, postSession, register, setCookiesOf, signIn } from './sign-in-helpers';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const OLD_PASSWORD = 'the old password';
const NEW_PASSWORD = 'the brand new password';

interface Tokens { access_token: string; refresh_token: string }

/** A new account for one test. */
async function person(): Promise<Account> {
  const account = { email: freshEmail('changer'), password: OLD_PASSWORD };
  await register(t, account);
  return account;
}

/** POST /api/me/password with the session's cookie, and its CSRF token unless told otherwise. */
function changePassword(session: SignedIn, body: Record<string, unknown>, headers: Record<string, string> = { 'X-CSRF-Token': session.csrfToken }) {
  return request(t.app).post('/api/me/password').set('Cookie', session.cookie).set(headers).set('Content-Type', 'application/json').send(JSON.stringify(body));
}

/** POST /api/tokens: the mobile tokens of an account. */
async function tokensOf(account: Account): Promise<Tokens> {
  const res = await request(t.app).post('/api/tokens').set('Content-Type', 'application/json').send(JSON.stringify(account));
  expect(res.status).toBe(200);
  return expectJsonBody<Tokens>(t, res, 'tokenResponse');
}

const meWithCookie = (session: SignedIn) => request(t.app).get('/api/me').set('Cookie', session.cookie).set('Accept', FULL);
const meWithToken = (token: string) => request(t.app).get('/api/me').set('Authorization', bearer(token)).set('Accept', FULL);
const refresh = (token: string) => request(t.app).post('/oauth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: token });

describe('POST /api/me/password', () => {
  it('answers 204 to the session with its CSRF token, clearing the caller\'s cookie', async () => {
    const account = await person();
    const session = await signIn(t, account);
    const res = await changePassword(session, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expectValidBody(t.registry, res);
    expect(setCookiesOf(res)).toEqual(['__Host-facet_session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict']);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses afterwards the old cookie, another session of the user, and the user\'s access and refresh tokens', async () => {
    const account = await person();
    const session = await signIn(t, account);
    const otherSession = await signIn(t, account);
    const tokens = await tokensOf(account);
    expect((await meWithCookie(otherSession)).status).toBe(200);
    expect((await meWithToken(tokens.access_token)).status).toBe(200);

    expect((await changePassword(session, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);

    expectProblem(t.registry, await meWithCookie(session), 401, 'unauthorized');
    expectProblem(t.registry, await request(t.app).get('/api/session').set('Cookie', session.cookie), 401, 'unauthorized');
    expectProblem(t.registry, await meWithCookie(otherSession), 401, 'unauthorized');
    const token = await meWithToken(tokens.access_token);
    expectProblem(t.registry, token, 401, 'invalid-token');
    expect(token.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
    const refreshed = await refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(400);
    expect(expectJsonBody(t, refreshed, 'oauthError')).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs in with the new password and not with the old one, on both sign-in routes', async () => {
    const account = await person();
    const session = await signIn(t, account);
    expect((await changePassword(session, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expectProblem(t.registry, await postSession(t, account), 401, 'invalid-credentials');
    const oldTokens = await request(t.app).post('/api/tokens').set('Content-Type', 'application/json').send(JSON.stringify(account));
    expectProblem(t.registry, oldTokens, 401, 'invalid-credentials');
    const fresh = await signIn(t, { email: account.email, password: NEW_PASSWORD });
    expect((await meWithCookie(fresh)).status).toBe(200);
    await tokensOf({ email: account.email, password: NEW_PASSWORD });
  });

  it('leaves other users\' sessions alone', async () => {
    const grace = await signIn(t, GRACE);
    const session = await signIn(t, await person());
    expect((await changePassword(session, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect(expectValidBody(t.registry, await meWithCookie(grace), 'me').id).toBe('usr_grace');
  });

  it('accepts an access token as the credential, clearing no cookie', async () => {
    const account = await person();
    const tokens = await tokensOf(account);
    const res = await request(t.app).post('/api/me/password').set('Authorization', bearer(tokens.access_token)).set('Content-Type', 'application/json')
      .send(JSON.stringify({ currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD }));
    expect(res.status).toBe(204);
    expect(setCookiesOf(res)).toEqual([]);
    expectProblem(t.registry, await meWithToken(tokens.access_token), 401, 'invalid-token');
    await signIn(t, { email: account.email, password: NEW_PASSWORD });
  });

  it('answers 422 naming /currentPassword when the current password is wrong, and changes nothing', async () => {
    const account = await person();
    const session = await signIn(t, account);
    const res = await changePassword(session, { currentPassword: 'not the old password', newPassword: NEW_PASSWORD });
    const body = expectProblem(t.registry, res, 422, 'validation-failed');
    expect((body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/currentPassword']);
    expect(res.text).not.toContain('not the old password');
    expect(res.text).not.toContain(NEW_PASSWORD);
    expect(setCookiesOf(res)).toEqual([]);
    expect((await meWithCookie(session)).status).toBe(200);
    await signIn(t, account);
    expectProblem(t.registry, await postSession(t, { email: account.email, password: NEW_PASSWORD }), 401, 'invalid-credentials');
  });

  it.each([
    ['a 7-character new password', 'short77'],
    ['a 129-character new password', 'n'.repeat(129)],
  ])('answers 422 naming /newPassword for %s, and changes nothing', async (_name, newPassword) => {
    const account = await person();
    const session = await signIn(t, account);
    const res = await changePassword(session, { currentPassword: OLD_PASSWORD, newPassword });
    const body = expectProblem(t.registry, res, 422, 'validation-failed');
    expect((body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/newPassword']);
    expect(res.text).not.toContain(newPassword);
    expect((await meWithCookie(session)).status).toBe(200);
    await signIn(t, account);
  });

  it.each([
    ['without the CSRF token', {}],
    ['from another site', { 'Sec-Fetch-Site': 'cross-site' }],
  ])('answers 403 csrf-rejected to the session %s, and changes nothing', async (_name, extra) => {
    const account = await person();
    const session = await signIn(t, account);
    const headers: Record<string, string> = { ...extra };
    if ('Sec-Fetch-Site' in extra) headers['X-CSRF-Token'] = session.csrfToken;
    const res = await changePassword(session, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD }, headers);
    expectProblem(t.registry, res, 403, 'csrf-rejected');
    expect((await meWithCookie(session)).status).toBe(200);
    await signIn(t, account);
  });

  it('answers 401 without a credential', async () => {
    const res = await request(t.app).post('/api/me/password').set('Content-Type', 'application/json')
      .send(JSON.stringify({ currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD }));
    expectProblem(t.registry, res, 401, 'unauthorized');
  });
});
