import request from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createClock, expectTokens, postTokens, signIn, withBearer } from './token-client';

const clock = createClock();
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ now: () => clock.now }); });
afterAll(async () => { await t.close(); });
beforeEach(() => clock.reset());

describe('POST /api/tokens', () => {
  it('answers 200 with an RFC 6749 §5.1 Bearer token pair that lives 900 s and is never cached', async () => {
    const res = await postTokens(t, 'ada@example.com', 'ada-demo-password');
    const body = expectTokens(t, res);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    expect(body.access_token).toMatch(/^fct_at_[0-9A-Za-z]{49}$/);
    expect(body.refresh_token).toMatch(/^fct_rt_[0-9A-Za-z]{49}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });

  it('mints a new pair on every sign-in', async () => {
    const first = await signIn(t);
    const second = await signIn(t);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
  });

  it('answers 401 invalid-credentials with a Bearer challenge for a wrong password', async () => {
    const res = await postTokens(t, 'ada@example.com', 'not-adas-password');
    const body = expectProblem(t.registry, res, 401, 'invalid-credentials');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet"');
    expect(res.text).not.toContain('not-adas-password');
    expect(body).not.toHaveProperty('access_token');
  });

  it('answers an unknown e-mail exactly as it answers a wrong password', async () => {
    const wrong = expectProblem(t.registry, await postTokens(t, 'grace@example.com', 'wrong-password'), 401, 'invalid-credentials');
    const unknown = expectProblem(t.registry, await postTokens(t, 'nobody@example.com', 'wrong-password'), 401, 'invalid-credentials');
    expect(unknown).toEqual(wrong);
  });

  it('refuses a tampered access token with 401 invalid-token without reading the store', async () => {
    const { access_token } = await signIn(t);
    const findAccessToken = jest.spyOn(t.store.credentials, 'findAccessToken');
    try {
      const last = access_token.at(-1) === 'A' ? 'B' : 'A';
      const res = await withBearer(t, access_token.slice(0, -1) + last);
      expectProblem(t.registry, res, 401, 'invalid-token');
      expect(findAccessToken).not.toHaveBeenCalled();
    } finally {
      findAccessToken.mockRestore();
    }
  });

  it('answers 422 validation-failed for a body without a password', async () => {
    const res = await request(t.app).post('/api/tokens').set('Content-Type', 'application/json').send(JSON.stringify({ email: 'ada@example.com' }));
    expectProblem(t.registry, res, 422, 'validation-failed');
  });
});

describe('an access token as Authorization: Bearer', () => {
  it('authenticates GET /api/me as the user who signed in', async () => {
    const { access_token: ada } = await signIn(t);
    const { access_token: grace } = await signIn(t, 'grace@example.com', 'grace-demo-password');
    const adaMe = await withBearer(t, ada).set('Accept', FULL);
    expect(adaMe.status).toBe(200);
    expect(expectValidBody(t.registry, adaMe, 'me')).toMatchObject({ name: 'Ada Lovelace' });
    const graceMe = await withBearer(t, grace).set('Accept', FULL);
    expect(graceMe.status).toBe(200);
    expect(expectValidBody(t.registry, graceMe, 'me')).toMatchObject({ name: 'Grace Hopper' });
  });

  it('authenticates GET /api/dashboard', async () => {
    const { access_token } = await signIn(t);
    const res = await withBearer(t, access_token, '/api/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(SUMMARY);
    expectValidBody(t.registry, res, 'dashboard');
  });

  it('is answered the summary representation when nothing else is asked for', async () => {
    const { access_token } = await signIn(t);
    const res = await withBearer(t, access_token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(SUMMARY);
    expectValidBody(t.registry, res, 'me');
  });

  it('is answered the full representation for X-Client-Platform: web', async () => {
    const { access_token } = await signIn(t);
    const res = await withBearer(t, access_token).set('X-Client-Platform', 'web');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(FULL);
    expectValidBody(t.registry, res, 'me');
  });

  it('is answered what Accept names, over the platform and the token default', async () => {
    const { access_token } = await signIn(t);
    const res = await withBearer(t, access_token).set('X-Client-Platform', 'ios').set('Accept', PARTNER_V3);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'me');
  });

  it('still works one second before ACCESS_TOKEN_SECONDS have passed', async () => {
    const { access_token } = await signIn(t);
    clock.advance(899);
    const res = await withBearer(t, access_token);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
  });

  it('answers 401 invalid-token with error="invalid_token" once ACCESS_TOKEN_SECONDS have passed, though it was used before', async () => {
    const { access_token } = await signIn(t);
    expectValidBody(t.registry, await withBearer(t, access_token), 'me');
    clock.advance(900);
    for (const path of ['/api/me', '/api/dashboard']) {
      const res = await withBearer(t, access_token, path);
      expectProblem(t.registry, res, 401, 'invalid-token');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
    }
  });

  it('answers 401 invalid-token for a made-up access token', async () => {
    const res = await withBearer(t, `fct_at_${'x'.repeat(49)}`);
    expectProblem(t.registry, res, 401, 'invalid-token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
  });

  it('refuses a refresh token presented as a bearer credential', async () => {
    const { refresh_token } = await signIn(t);
    const res = await withBearer(t, refresh_token);
    expect(res.status).toBe(401);
    expectValidBody(t.registry, res);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });
});

describe('failed sign-ins, shared by POST /api/session and POST /api/tokens', () => {
  let limited: TestApp;
  beforeAll(async () => { limited = await createTestApp({ config: { signIn: { failuresPerAccount: 3 } } }); });
  afterAll(async () => { await limited.close(); });

  it('answer 429 rate-limited with Retry-After once the account is over its quota, even for the right password', async () => {
    for (const _ of [1, 2]) expectProblem(limited.registry, await postTokens(limited, 'grace@example.com', 'wrong-password'), 401, 'invalid-credentials');
    const session = await request(limited.app).post('/api/session').set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'Grace@Example.com', password: 'wrong-password' }));
    expectProblem(limited.registry, session, 401, 'invalid-credentials');
    const res = await postTokens(limited, 'grace@example.com', 'grace-demo-password');
    expectProblem(limited.registry, res, 429, 'rate-limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).not.toContain('access_token');
    // Another account is not held back by Grace's failures.
    expectTokens(limited, await postTokens(limited, 'ada@example.com', 'ada-demo-password'));
  });
});
