import request from 'supertest';
import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem } from '../../helpers/schema';
import { expectOAuthError, expectTokens, postForm, refresh, rotate, signIn } from './token-client';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** `token` with its character at `index` replaced by another base62 character. */
function tampered(token: string, index: number): string {
  const swapped = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + swapped + token.slice(index + 1);
}

describe('POST /oauth/token errors (RFC 6749 §5.2)', () => {
  it('answers invalid_request without grant_type', async () => {
    const { refresh_token } = await signIn(t);
    expectOAuthError(t, await postForm(t, '/oauth/token', `refresh_token=${refresh_token}`), 'invalid_request');
  });

  it('answers invalid_request for an empty body', async () => {
    expectOAuthError(t, await postForm(t, '/oauth/token', ''), 'invalid_request');
  });

  it('answers invalid_request without refresh_token', async () => {
    expectOAuthError(t, await postForm(t, '/oauth/token', 'grant_type=refresh_token'), 'invalid_request');
  });

  it('answers invalid_request for a parameter sent twice, and leaves the token usable', async () => {
    const { refresh_token } = await signIn(t);
    const twice = `grant_type=refresh_token&refresh_token=${refresh_token}&refresh_token=${refresh_token}`;
    const body = expectOAuthError(t, await postForm(t, '/oauth/token', twice), 'invalid_request');
    expect(body.error_description).toContain('refresh_token');
    expectOAuthError(t, await postForm(t, '/oauth/token', `grant_type=refresh_token&grant_type=refresh_token&refresh_token=${refresh_token}`), 'invalid_request');
    await rotate(t, refresh_token);
  });

  it('accepts a form whose Content-Type carries a charset', async () => {
    const { refresh_token } = await signIn(t);
    const res = await request(t.app).post('/oauth/token').set('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8')
      .send(`grant_type=refresh_token&refresh_token=${refresh_token}`);
    expect(expectTokens(t, res).refresh_token).not.toBe(refresh_token);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['no Content-Type at all', undefined],
  ])('answers invalid_request for a body sent as %s', async (_name, type) => {
    const { refresh_token } = await signIn(t);
    const req = request(t.app).post('/oauth/token');
    if (type) req.set('Content-Type', type);
    expectOAuthError(t, await req.send(Buffer.from(`grant_type=refresh_token&refresh_token=${refresh_token}`)), 'invalid_request');
  });

  it('answers GET with 405 naming POST', async () => {
    const res = await request(t.app).get('/oauth/token');
    expectProblem(t.registry, res, 405, 'method-not-allowed');
    expect(res.headers.allow).toContain('POST');
  });

  it('answers invalid_request for a JSON body, and leaves the token usable', async () => {
    const { refresh_token } = await signIn(t);
    const res = await request(t.app).post('/oauth/token').set('Content-Type', 'application/json')
      .send(JSON.stringify({ grant_type: 'refresh_token', refresh_token }));
    expectOAuthError(t, res, 'invalid_request');
    await rotate(t, refresh_token);
  });

  it.each(['password', 'client_credentials', 'authorization_code'])('answers unsupported_grant_type for grant_type=%s', async (grant) => {
    const res = await postForm(t, '/oauth/token', `grant_type=${grant}&username=ada%40example.com&password=ada-demo-password`);
    const body = expectOAuthError(t, res, 'unsupported_grant_type');
    expect(res.text).not.toContain('ada-demo-password');
    expect(body).not.toHaveProperty('access_token');
  });

  it.each([
    ['garbage', 'not-a-refresh-token'],
    ['a well-formed token that was never issued', `fct_rt_${'0'.repeat(43)}000000`],
  ])('answers invalid_grant for %s', async (_name, token) => {
    expectOAuthError(t, await refresh(t, token), 'invalid_grant');
  });

  it('answers invalid_grant for a tampered refresh token, and the real one still rotates', async () => {
    const { refresh_token } = await signIn(t);
    for (const index of [8, refresh_token.length - 1]) {
      expectOAuthError(t, await refresh(t, tampered(refresh_token, index)), 'invalid_grant');
    }
    await rotate(t, refresh_token);
  });

  it('answers invalid_grant for an access token presented as a refresh token', async () => {
    const { access_token } = await signIn(t);
    expectOAuthError(t, await refresh(t, access_token), 'invalid_grant');
  });
});
