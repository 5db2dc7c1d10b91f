import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Response } from 'supertest';
import { FULL } from '../../representations/media-types';
import { DEFAULT_READ_QUOTA, loadConfig } from '../../src/config';
import type { RateLimitOptions } from '../../src/http/guards/rate-limit';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';
import { signIn } from './sign-in/sign-in-helpers';

const HOUR = 3_600_000;
/** The app's clock: `now` and the limiter's read the same instant; tests move it instead of sleeping. */
let clockMs = Date.UTC(2026, 10, 20);
const now = () => new Date(clockMs);
// Each test starts at the beginning of an hour far from the previous test's: quotas never carry over.
beforeEach(() => { clockMs = clockMs - (clockMs % HOUR) + 24 * HOUR; });

/** Every limit off but the read quota: 3 per credential, 2 per anonymous address, an hour. */
const READS: Partial<RateLimitOptions> = {
  windowSeconds: 60, writesPerKey: 0, writesPerAddress: 0, redirectsPerAddress: 0,
  readWindowSeconds: 3600, readsPerCredential: 3, readsPerAddress: 2, clock: () => clockMs,
};
const read = (t: TestApp, key: string, path = '/api/links/facet') => request(t.app).get(path).set('Authorization', bearer(key)).set('Accept', FULL);

/** Asserts the 429 problem of `policy` with Retry-After and the RateLimit fields; returns Retry-After in seconds. */
function expect429(t: TestApp, res: Response, policy: string): number {
  const body = expectProblem(t.registry, res, 429, 'rate-limited');
  expect(body.detail).toContain(policy);
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.headers['ratelimit-policy']).toMatch(new RegExp(`^"${policy}";q=\\d+;w=3600$`));
  expect(res.headers.ratelimit).toBe(`"${policy}";r=0;t=${res.headers['retry-after'] as string}`);
  return Number(res.headers['retry-after']);
}

describe('the read quota per credential', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ rateLimits: READS, now }); });
  afterAll(async () => { await t.close(); });

  it('carries RateLimit-Policy and RateLimit on a read, counting down, and answers 429 past the quota', async () => {
    for (const [i, path] of ['/api/links/facet', '/api/links', '/api/me'].entries()) {
      const res = await read(t, KEYS.user, path);
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, path === '/api/links' ? 'link-page' : path === '/api/me' ? 'me' : 'link');
      expect(res.headers['ratelimit-policy']).toBe('"read";q=3;w=3600');
      expect(res.headers.ratelimit).toBe(`"read";r=${2 - i};t=3600`);
    }
    clockMs += 20 * 60_000;
    expect(expect429(t, await read(t, KEYS.user), 'read')).toBe(2400);
  });

  it('carries both fields on a 304 too (HEAD and the dispatcher\'s prepared answers included)', async () => {
    const first = await read(t, KEYS.user);
    expectValidBody(t.registry, first, 'link');
    const revalidated = await read(t, KEYS.user).set('If-None-Match', first.headers.etag as string);
    expect(revalidated.status).toBe(304);
    expectValidBody(t.registry, revalidated);
    expect(revalidated.headers['ratelimit-policy']).toBe('"read";q=3;w=3600');
    expect(revalidated.headers.ratelimit).toBe('"read";r=1;t=3600');
    const head = await request(t.app).head('/api/links/facet').set('Authorization', bearer(KEYS.user)).set('Accept', FULL);
    expect(head.status).toBe(200);
    expect(head.headers.ratelimit).toBe('"read";r=0;t=3600');
  });

  it('keeps a quota for each credential: one client cannot starve another', async () => {
    for (let i = 0; i < 4; i += 1) await read(t, KEYS.user);
    expect429(t, await read(t, KEYS.user), 'read');
    const other = await read(t, KEYS.other);
    expect(other.status).toBe(200);
    expectValidBody(t.registry, other, 'link');
    expect(other.headers.ratelimit).toBe('"read";r=2;t=3600');
  });

  it('gives a new quota when the window has passed', async () => {
    for (let i = 0; i < 4; i += 1) await read(t, KEYS.user);
    clockMs += HOUR;
    const res = await read(t, KEYS.user);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.ratelimit).toBe('"read";r=2;t=3600');
  });

  it('counts neither writes nor the service\'s own paths', async () => {
    for (let i = 0; i < 4; i += 1) await read(t, KEYS.user);
    const created = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL)
      .set('Content-Type', 'application/json').send(JSON.stringify({ url: 'https://example.com/rq', code: `rq-${clockMs}` }));
    expect(created.status).toBe(201);
    expectValidBody(t.registry, created, 'link');
    expect(created.headers.ratelimit).toBeUndefined();
    for (const path of ['/healthz', '/openapi.yaml']) {
      const res = await request(t.app).get(path).set('Authorization', bearer(KEYS.user));
      expect(res.status).toBe(200);
      expect(res.headers.ratelimit).toBeUndefined();
    }
  });

  it('counts a session\'s reads by its user, not by its address', async () => {
    const session = await signIn(t);
    for (const remaining of [2, 1, 0]) {
      const res = await request(t.app).get('/api/dashboard').set('Cookie', session.cookie).set('Accept', FULL);
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'dashboard');
      expect(res.headers.ratelimit).toBe(`"read";r=${remaining};t=3600`);
    }
    expect429(t, await request(t.app).get('/api/dashboard').set('Cookie', session.cookie).set('Accept', FULL), 'read');
  });
});

describe('the read quota per anonymous address', () => {
  let t: TestApp;
  let server: http.Server;
  let base: string;
  const from = (address: string) => new http.Agent({ localAddress: address });
  const clients = { a: from('127.0.0.2'), b: from('127.0.0.3') };
  const card = (client: http.Agent, path = '/api/links/facet') => request(base).get(path).agent(client).set('Accept', FULL);

  beforeAll(async () => {
    t = await createTestApp({ rateLimits: { ...READS, redirectsPerAddress: 100 }, now });
    server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    for (const agent of Object.values(clients)) agent.destroy();
    await t.close();
  });

  it('counts anonymous reads per address without RateLimit fields on the cacheable answer, and 429s past the quota', async () => {
    for (let i = 0; i < 2; i += 1) {
      const res = await card(clients.a);
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'link');
      expect(res.headers['cache-control']).toMatch(/public/);
      expect(res.headers.ratelimit).toBeUndefined();
      expect(res.headers['ratelimit-policy']).toBeUndefined();
    }
    expect429(t, await card(clients.a), 'read-per-address');
    expect(expectValidBody(t.registry, await card(clients.b), 'link').code).toBe('facet');
  });

  it('leaves the redirect and its own limit alone', async () => {
    for (let i = 0; i < 3; i += 1) await card(clients.a);
    const visit = await request(base).get('/facet').agent(clients.a);
    expect(visit.status).toBe(302);
    expectValidBody(t.registry, visit);
    expect(visit.headers.ratelimit).toBe('redirects-per-address;r=99;t=60');
  });
});

describe('the read quota\'s configuration', () => {
  it('defaults to 5000 an hour per credential and 1000 per anonymous address, and reads RATE_LIMIT_READ*', () => {
    expect(loadConfig({}).rateLimits).toMatchObject(DEFAULT_READ_QUOTA);
    expect(DEFAULT_READ_QUOTA).toEqual({ readWindowSeconds: 3600, readsPerCredential: 5000, readsPerAddress: 0 });
    const env = { RATE_LIMIT_READ_WINDOW_SECONDS: '60', RATE_LIMIT_READS_PER_CREDENTIAL: '0', RATE_LIMIT_READS_PER_ADDRESS: '7' };
    expect(loadConfig(env).rateLimits).toMatchObject({ readWindowSeconds: 60, readsPerCredential: 0, readsPerAddress: 7 });
    expect(() => loadConfig({ RATE_LIMIT_READS_PER_ADDRESS: '-1' })).toThrow(/RATE_LIMIT_READS_PER_ADDRESS/);
  });
});
