import request from 'supertest';
import type { Response } from 'supertest';
import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { expectOAuthError, postForm, refresh, revoke, rotate, signIn, withBearer } from './token-client';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** Asserts RFC 7009 §2.2's answer: 200 with an empty body, never cached. */
function expectRevoked(res: Response): void {
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  expect(res.headers['content-length']).toBe('0');
  expect(res.headers['cache-control']).toBe('no-store');
}

async function expectWorks(accessToken: string): Promise<void> {
  const res = await withBearer(t, accessToken);
  expect(res.status).toBe(200);
  expectValidBody(t.registry, res, 'me');
}

describe('POST /oauth/revoke (RFC 7009)', () => {
  it('revokes an access token: 200 empty, the token 401 afterwards, its refresh token still rotating', async () => {
    const tokens = await signIn(t);
    await expectWorks(tokens.access_token);
    expectRevoked(await revoke(t, tokens.access_token));
    const res = await withBearer(t, tokens.access_token);
    expectProblem(t.registry, res, 401, 'invalid-token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
    const next = await rotate(t, tokens.refresh_token);
    await expectWorks(next.access_token);
  });

  it('revokes only the access token presented, not its family\'s others', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    expectRevoked(await revoke(t, a.access_token, 'access_token'));
    expectProblem(t.registry, await withBearer(t, a.access_token), 401, 'invalid-token');
    await expectWorks(b.access_token);
  });

  it('revokes a refresh token\'s family: its refresh and access tokens stop working', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    await expectWorks(a.access_token);
    await expectWorks(b.access_token);
    expectRevoked(await revoke(t, b.refresh_token, 'refresh_token'));
    expectOAuthError(t, await refresh(t, b.refresh_token), 'invalid_grant');
    expectProblem(t.registry, await withBearer(t, a.access_token), 401, 'invalid-token');
    expectProblem(t.registry, await withBearer(t, b.access_token), 401, 'invalid-token');
  });

  it('takes token_type_hint as a hint only: a refresh token hinted as an access token still revokes its family', async () => {
    const tokens = await signIn(t);
    expectRevoked(await revoke(t, tokens.refresh_token, 'access_token'));
    expectOAuthError(t, await refresh(t, tokens.refresh_token), 'invalid_grant');
    expectProblem(t.registry, await withBearer(t, tokens.access_token), 401, 'invalid-token');
  });

  it.each([
    ['an unknown token of the right shape', `fct_rt_${'0'.repeat(49)}`],
    ['garbage', 'no-such-token'],
    ['an API key', 'demo_user_key'],
  ])('answers 200 for %s', async (_name, token) => {
    expectRevoked(await revoke(t, token));
  });

  it('does not revoke an API key sent to it', async () => {
    expectRevoked(await revoke(t, 'demo_user_key'));
    const res = await withBearer(t, 'demo_user_key');
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
  });

  it('answers 200 for a token revoked already', async () => {
    const tokens = await signIn(t);
    expectRevoked(await revoke(t, tokens.refresh_token));
    expectRevoked(await revoke(t, tokens.refresh_token));
  });

  it('answers 400 invalid_request without token', async () => {
    expectOAuthError(t, await postForm(t, '/oauth/revoke', 'token_type_hint=access_token'), 'invalid_request');
  });

  it('answers 400 invalid_request for a JSON body, revoking nothing', async () => {
    const tokens = await signIn(t);
    const res = await request(t.app).post('/oauth/revoke').set('Content-Type', 'application/json').send(JSON.stringify({ token: tokens.access_token }));
    expectOAuthError(t, res, 'invalid_request');
    await expectWorks(tokens.access_token);
  });
});

describe('POST /api/me/password with an access token', () => {
  it('revokes every token family of the user, and only theirs', async () => {
    const phone = await signIn(t, 'grace@example.com', 'grace-demo-password');
    const tablet = await signIn(t, 'grace@example.com', 'grace-demo-password');
    const ada = await signIn(t);
    await expectWorks(tablet.access_token);
    const res = await request(t.app).post('/api/me/password').set('Authorization', `Bearer ${phone.access_token}`)
      .set('Content-Type', 'application/json').send(JSON.stringify({ currentPassword: 'grace-demo-password', newPassword: 'grace-new-password' }));
    expect(res.status).toBe(204);
    expectValidBody(t.registry, res);
    for (const tokens of [phone, tablet]) {
      expectProblem(t.registry, await withBearer(t, tokens.access_token), 401, 'invalid-token');
      expectOAuthError(t, await refresh(t, tokens.refresh_token), 'invalid_grant');
    }
    await expectWorks(ada.access_token);
    await expectWorks((await signIn(t, 'grace@example.com', 'grace-new-password')).access_token);
  });
});
