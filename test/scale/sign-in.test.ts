import type { Response } from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry, OTHER_SCHEMAS } from '../../representations/registry';
import type { ServiceProcess } from '../process/service-process';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { describeOnPostgres, eventually, inParallel, keepAlive, ms, percentile, report, send } from './helpers';

const registry = buildRegistry();
/** The spec: a session or token revoked on one instance is refused by every other within 250 ms. */
const LAG_BOUND_MS = 250;
const FAILURES_PER_ACCOUNT = 5;
const ENV = {
  SIGNIN_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
  // The address quota is not under test here: every request comes from 127.0.0.1.
  SIGNIN_FAILURES_PER_ADDRESS: '100000',
  // An hour, so that no window boundary falls inside the test and hands out a second quota.
  SIGNIN_WINDOW_SECONDS: '3600',
  RATE_LIMIT_WRITES_PER_KEY: '0',
  RATE_LIMIT_WRITES_PER_ADDRESS: '0',
  PASSWORD_SCRYPT_LOG_N: '10', // startService's default too: a thousandth of production's work
};
const JSON_BODY = { 'Content-Type': 'application/json' };
const FORM_BODY = { 'Content-Type': 'application/x-www-form-urlencoded' };
const SESSION_COOKIE = '__Host-facet_session';
const agent = keepAlive();

/** Validates a JSON sign-in body (session, token response, OAuth error) against its schema file; returns it. */
function expectJson(res: Response, status: number, schema: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  const validate = registry.validator(schema);
  if (!validate(body)) throw new Error(`body does not match ${schema}: ${JSON.stringify(validate.errors)}\n${res.text}`);
  return body;
}

const post = (service: ServiceProcess, path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(service.baseUrl, 'POST', path, { headers: { ...JSON_BODY, ...headers }, body: JSON.stringify(body), agent });

/** A cookie session signed in on `service`: the Cookie header to send and the CSRF token. */
async function signIn(service: ServiceProcess, email: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const res = await post(service, '/api/session', { email, password });
  const body = expectJson(res, 201, OTHER_SCHEMAS.session);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const pair = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(pair).toMatch(new RegExp(`^${SESSION_COOKIE}=fct_ses_`));
  return { cookie: pair!, csrfToken: body.csrfToken as string };
}

/** Mobile tokens issued on `service`. */
async function tokens(service: ServiceProcess, email: string, password: string): Promise<{ access: string; refresh: string }> {
  const body = expectJson(await post(service, '/api/tokens', { email, password }), 200, OTHER_SCHEMAS.tokenResponse);
  return { access: body.access_token as string, refresh: body.refresh_token as string };
}

/** POST /oauth/token with a refresh token (RFC 6749 §6). */
const refresh = (service: ServiceProcess, token: string) =>
  send(service.baseUrl, 'POST', '/oauth/token', { headers: FORM_BODY, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(), agent });

/** Asserts that a response clears the session cookie: same name and attributes, empty, Max-Age=0 (attribute order free). */
function expectClearedCookie(res: Response): void {
  const [cookie, ...others] = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  expect(others).toEqual([]);
  const [pair, ...attributes] = cookie!.split(';').map((part) => part.trim());
  expect(pair).toBe(`${SESSION_COOKIE}=`);
  expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=0', 'Path=/', 'SameSite=Strict', 'Secure']);
}

/** A new account, created on `service`. */
async function signUp(service: ServiceProcess, email: string, password: string): Promise<void> {
  const res = await post(service, '/api/accounts', { email, password, name: email.split('@')[0]! }, { Accept: FULL });
  expect(res.status).toBe(201);
  expectValidBody(registry, res, 'me');
}

/** One read of a private resource with `credential` (a Cookie or an Authorization header), its 200 body validated. */
type Reader = (service: ServiceProcess) => Promise<Response & { ms: number }>;
const readMe = (headers: Record<string, string>): Reader => async (service) => {
  const res = await send(service.baseUrl, 'GET', '/api/me', { headers: { Accept: FULL, ...headers }, agent });
  if (res.status === 200) expectValidBody(registry, res, 'me');
  return res;
};
const readSession = (cookie: string): Reader => async (service) => {
  const res = await send(service.baseUrl, 'GET', '/api/session', { headers: { Cookie: cookie }, agent });
  if (res.status === 200) expectJson(res, 200, OTHER_SCHEMAS.session);
  return res;
};
const readDashboard = (cookie: string): Reader => async (service) => {
  const res = await send(service.baseUrl, 'GET', '/api/dashboard', { headers: { Cookie: cookie }, agent });
  if (res.status === 200) {
    expect(res.headers['content-type']).toBe(FULL); // a session's default representation
    expectValidBody(registry, res, 'dashboard');
  }
  return res;
};

/**
 * Reads `service` every millisecond or so until it refuses (bounded well past the goal, so a
 * miss is measured rather than cut off); the refusal and the milliseconds since `from`.
 */
async function untilRefused(service: ServiceProcess, read: Reader, from: number): Promise<{ res: Response; lag: number }> {
  return eventually(async () => {
    const res = await read(service);
    if (res.status === 200) throw new Error(`${service.baseUrl} still admits the credential`);
    return { res, lag: performance.now() - from };
  }, { timeoutMs: 5000, intervalMs: 1 });
}

/** B must hold the credential in its memory when A revokes it: read until admitted, then once more. */
async function warm(service: ServiceProcess, read: Reader): Promise<void> {
  await eventually(async () => expect((await read(service)).status).toBe(200), { timeoutMs: 5000 });
  expect((await read(service)).status).toBe(200);
}

describeOnPostgres('signing in across two Facet instances on one PostgreSQL database', (ctx) => {
  let a: ServiceProcess;
  let b: ServiceProcess;
  beforeAll(async () => {
    const url = await ctx.database();
    a = await ctx.start(url, ENV);
    b = await ctx.start(url, ENV);
  }, 60_000);

  it(`refuses on B, within ${LAG_BOUND_MS} ms, a session cookie signed out on A`, async () => {
    const ROUNDS = 10;
    const surfaces = { '/api/session': readSession, '/api/dashboard': readDashboard };
    const lags: Record<string, number[]> = { '/api/session': [], '/api/dashboard': [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const { cookie, csrfToken } = await signIn(a, 'ada@example.com', 'ada-demo-password');
      for (const read of Object.values(surfaces)) await warm(b, read(cookie));
      const out = await send(a.baseUrl, 'DELETE', '/api/session', { headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken }, agent });
      expect(out.status).toBe(204);
      expectValidBody(registry, out);
      const signedOut = performance.now();
      expectClearedCookie(out);
      await Promise.all(Object.entries(surfaces).map(async ([path, read]) => {
        const { res, lag } = await untilRefused(b, read(cookie), signedOut);
        expectProblem(registry, res, 401, 'unauthorized');
        lags[path]!.push(lag);
      }));
      expectProblem(registry, await readSession(cookie)(a), 401, 'unauthorized');
    }
    const all = Object.values(lags).flat();
    for (const [path, values] of Object.entries(lags)) report(`sign-out on A -> B refuses the cookie, ${path}: p50 ${ms(percentile(values, 50))} max ${ms(Math.max(...values))} (${ROUNDS} sign-outs)`);
    report(`sign-out on A -> B refuses the cookie, all: p50 ${ms(percentile(all, 50))} max ${ms(Math.max(...all))}`);
    expect(Math.max(...all)).toBeLessThan(LAG_BOUND_MS);
  }, 120_000);

  it(`refuses on B, within ${LAG_BOUND_MS} ms, an access token revoked on A (RFC 7009)`, async () => {
    const ROUNDS = 10;
    const lags: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const { access } = await tokens(a, 'ada@example.com', 'ada-demo-password');
      const read = readMe({ Authorization: `Bearer ${access}` });
      await warm(b, read);
      const revoked = await send(a.baseUrl, 'POST', '/oauth/revoke', { headers: FORM_BODY, body: new URLSearchParams({ token: access, token_type_hint: 'access_token' }).toString(), agent });
      expect(revoked.status).toBe(200);
      expect(revoked.text).toBe('');
      const at = performance.now();
      const { res, lag } = await untilRefused(b, read, at);
      expectProblem(registry, res, 401, 'invalid-token');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
      lags.push(lag);
    }
    report(`RFC 7009 revocation on A -> B refuses the access token: p50 ${ms(percentile(lags, 50))} max ${ms(Math.max(...lags))} (${ROUNDS} revocations)`);
    expect(Math.max(...lags)).toBeLessThan(LAG_BOUND_MS);
  }, 120_000);

  it(`revokes on B, within ${LAG_BOUND_MS} ms, every session and token of a user whose password changed on A`, async () => {
    const email = 'changes-password@example.com';
    await signUp(a, email, 'first-password');
    const onA = await signIn(a, email, 'first-password');
    const onB = await signIn(b, email, 'first-password');
    const mobile = await tokens(b, email, 'first-password');
    const readers: Record<string, Reader> = {
      'session cookie': readMe({ Cookie: onB.cookie }),
      'access token': readMe({ Authorization: `Bearer ${mobile.access}` }),
    };
    for (const read of Object.values(readers)) await warm(b, read);
    const changed = await post(a, '/api/me/password', { currentPassword: 'first-password', newPassword: 'second-password' }, { Cookie: onA.cookie, 'X-CSRF-Token': onA.csrfToken });
    expect(changed.status).toBe(204);
    expectValidBody(registry, changed);
    const at = performance.now();
    // The caller's own session ends too: its cookie is cleared and refused.
    expectClearedCookie(changed);
    const lags = await Promise.all(Object.entries(readers).map(async ([name, read]) => {
      const { res, lag } = await untilRefused(b, read, at);
      expectProblem(registry, res, 401, name === 'session cookie' ? 'unauthorized' : 'invalid-token');
      return [name, lag] as const;
    }));
    report(`password change on A -> B refuses the user's credentials: ${lags.map(([name, lag]) => `${name} ${ms(lag)}`).join(', ')}`);
    expect(Math.max(...lags.map(([, lag]) => lag))).toBeLessThan(LAG_BOUND_MS);
    expectProblem(registry, await readMe({ Cookie: onA.cookie })(a), 401, 'unauthorized');
    // The refresh token's family is revoked as well, and the old password no longer signs in anywhere.
    expectJson(await refresh(b, mobile.refresh), 400, OTHER_SCHEMAS.oauthError);
    for (const service of [a, b]) {
      expectProblem(registry, await post(service, '/api/session', { email, password: 'first-password' }), 401, 'invalid-credentials');
      await signIn(service, email, 'second-password');
    }
  }, 60_000);

  describe(`failed sign-ins, ${FAILURES_PER_ACCOUNT} per account, counted across both instances`, () => {
    const attempt = async (service: ServiceProcess, email: string, password: string, path = '/api/session') => {
      const res = await post(service, path, { email, password });
      if (res.status === 429) {
        expectProblem(registry, res, 429, 'rate-limited');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      } else {
        expectProblem(registry, res, 401, 'invalid-credentials');
      }
      return res.status;
    };

    it('refuse, one after another alternating A and B: exactly 5 get 401, the rest 429, and then the right password too', async () => {
      const email = 'limited@example.com';
      await signUp(a, email, 'the-right-password');
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push(await attempt(i % 2 === 0 ? a : b, email, 'a-wrong-password'));
      report(`sign-in failures alternating A/B for one e-mail, quota ${FAILURES_PER_ACCOUNT}: ${statuses.join(' ')}`);
      expect(statuses).toEqual([...Array(FAILURES_PER_ACCOUNT).fill(401), ...Array(12 - FAILURES_PER_ACCOUNT).fill(429)]);
      // The right password is refused too, on both instances and both sign-in routes (they share the count).
      for (const service of [a, b]) {
        for (const path of ['/api/session', '/api/tokens']) {
          const res = await post(service, path, { email: 'LIMITED@example.com', password: 'the-right-password' });
          expectProblem(registry, res, 429, 'rate-limited');
        }
      }
    }, 60_000);

    it('refuse, sent at once to A and B for an unknown e-mail: exactly 5 get 401, the rest 429', async () => {
      const statuses: number[] = [];
      await inParallel(6, 16, async (i) => { statuses.push(await attempt(i % 2 === 0 ? a : b, 'nobody@example.com', `guess-${i}`, i % 4 < 2 ? '/api/session' : '/api/tokens')); });
      const tally = { 401: statuses.filter((s) => s === 401).length, 429: statuses.filter((s) => s === 429).length };
      report(`sign-in failures, 16 at once across A/B for an unknown e-mail, quota ${FAILURES_PER_ACCOUNT}: ${tally[401]} x 401, ${tally[429]} x 429`);
      expect(tally).toEqual({ 401: FAILURES_PER_ACCOUNT, 429: 16 - FAILURES_PER_ACCOUNT });
    }, 60_000);
  });

  it('answers a refresh token presented to A and B at once with one successor on both, and the family keeps rotating', async () => {
    const ROUNDS = 30;
    let { refresh: current } = await tokens(a, 'grace@example.com', 'grace-demo-password');
    const first = current;
    let sameSuccessor = 0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const answers = await Promise.all([refresh(a, current), refresh(b, current)]);
      // Both succeed: one rotates, the other (queued behind it on the family's lock) is the grace replay.
      expect({ round, answers: answers.map((res) => `${res.status} ${res.status === 200 ? '' : res.text}`) }).toEqual({ round, answers: ['200 ', '200 '] });
      const bodies = answers.map((res) => expectJson(res, 200, OTHER_SCHEMAS.tokenResponse));
      const [onA, onB] = bodies as [Record<string, unknown>, Record<string, unknown>];
      expect({ round, successor: onB.refresh_token }).toEqual({ round, successor: onA.refresh_token });
      expect(onA.refresh_token).not.toBe(current);
      expect(onA.access_token).not.toBe(onB.access_token);
      sameSuccessor += 1;
      // Both access tokens work, on either instance.
      for (const [service, access] of [[b, onA.access_token], [a, onB.access_token]] as const) {
        expect((await readMe({ Authorization: `Bearer ${String(access)}` })(service)).status).toBe(200);
      }
      current = onA.refresh_token as string;
    }
    report(`refresh race, one refresh token to A and B at once: ${sameSuccessor} of ${ROUNDS} rounds answered 200 twice with one successor`);
    // The family still rotates: its latest token refreshes once more, to a new one.
    const next = expectJson(await refresh(b, current), 200, OTHER_SCHEMAS.tokenResponse);
    expect(next.refresh_token).not.toBe(current);
    // An older generation gets no grace: reuse, so the whole family is revoked (RFC 9700 §4.14.2).
    expect(expectJson(await refresh(a, first), 400, OTHER_SCHEMAS.oauthError).error).toBe('invalid_grant');
    expect(expectJson(await refresh(b, next.refresh_token as string), 400, OTHER_SCHEMAS.oauthError).error).toBe('invalid_grant');
    expectProblem(registry, await eventually(async () => {
      const res = await readMe({ Authorization: `Bearer ${String(next.access_token)}` })(a);
      expect(res.status).toBe(401);
      return res;
    }, { timeoutMs: 2000 }), 401, 'invalid-token');
  }, 120_000);
});
