import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Response } from 'supertest';
import { FULL } from '../../../representations/media-types';
import { ConfigError, DEFAULT_RATE_LIMITS, DEFAULT_READ_QUOTA, loadConfig } from '../../../src/config';
import * as clientAddresses from '../../../src/http/guards/client-address';
import { addressPartition } from '../../../src/http/guards/rate-limit';
import type { RateLimitOptions } from '../../../src/http/guards/rate-limit';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { bearer } from '../http-expect';

/** The limiter's clock: tests move it instead of sleeping. */
let clockMs = Date.UTC(2026, 10, 20);
const clock = () => clockMs;
const MINUTE = 60_000;
/**
 * Each test starts at the beginning of a window far from the previous test's, so quotas never
 * carry over. Windows are aligned to multiples of their length (every instance agrees on them).
 */
beforeEach(() => { clockMs = clockMs - (clockMs % MINUTE) + 24 * 60 * MINUTE; });

let serial = 0;
/** POST /api/links with `key`; a fresh code each time. */
function post(app: TestApp['app'], key?: string) {
  serial += 1;
  const req = request(app).post('/api/links').set('Accept', FULL).set('Content-Type', 'application/json');
  if (key) req.set('Authorization', bearer(key));
  return req.send(JSON.stringify({ url: `https://example.com/rl/${serial}`, code: `rl-${serial}` }));
}

/** Limits for one suite: everything off but what the suite sets. */
function limits(overrides: Partial<RateLimitOptions>): Partial<RateLimitOptions> {
  return { windowSeconds: 60, writesPerKey: 0, writesPerAddress: 0, redirectsPerAddress: 0, clock, ...overrides };
}

/** Asserts a 429 problem with Retry-After and the RateLimit fields; returns Retry-After in seconds. */
function expect429(t: TestApp, res: Response, policy: string): number {
  const body = expectProblem(t.registry, res, 429, 'rate-limited');
  expect(body.detail).toContain(policy);
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.headers['ratelimit-policy']).toContain(`${policy};q=`);
  expect(res.headers.ratelimit).toContain(`${policy};r=0;t=${res.headers['retry-after'] as string}`);
  return Number(res.headers['retry-after']);
}

describe('rate limiting of writes per key', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ rateLimits: limits({ writesPerKey: 3 }) }); });
  afterAll(async () => { await t.close(); });

  it('counts the quota down in RateLimit and answers the fourth write with 429, Retry-After and RateLimit', async () => {
    for (const remaining of [2, 1, 0]) {
      const res = await post(t.app, KEYS.user);
      expect(res.status).toBe(201);
      expectValidBody(t.registry, res, 'link');
      expect(res.headers['ratelimit-policy']).toBe('writes-per-key;q=3;w=60');
      expect(res.headers.ratelimit).toBe(`writes-per-key;r=${remaining};t=60`);
    }
    clockMs += 15_000;
    const refused = await post(t.app, KEYS.user);
    expect(expect429(t, refused, 'writes-per-key')).toBe(45);
  });

  it('writes nothing for a refused request', async () => {
    for (let i = 0; i < 3; i += 1) expectValidBody(t.registry, await post(t.app, KEYS.user), 'link');
    const refused = await post(t.app, KEYS.user);
    expect429(t, refused, 'writes-per-key');
    expect(await t.store.links.findByCode(`rl-${serial}`)).toBeNull();
  });

  it('lets writes through again once the window has passed', async () => {
    for (let i = 0; i < 4; i += 1) expectValidBody(t.registry, await post(t.app, KEYS.user), 'link');
    clockMs += MINUTE;
    const res = await post(t.app, KEYS.user);
    expect(res.status).toBe(201);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.ratelimit).toBe('writes-per-key;r=2;t=60');
  });

  it('keeps a separate quota for each key', async () => {
    for (let i = 0; i < 4; i += 1) expectValidBody(t.registry, await post(t.app, KEYS.user), 'link');
    const other = await post(t.app, KEYS.other);
    expect(other.status).toBe(201);
    expectValidBody(t.registry, other, 'link');
  });

  it('counts PATCH and DELETE as writes', async () => {
    const created = await post(t.app, KEYS.user);
    const code = expectValidBody(t.registry, created, 'link').code as string;
    const patched = await request(t.app).patch(`/api/links/${code}`).set('Authorization', bearer(KEYS.user)).set('Accept', FULL)
      .set('Content-Type', 'application/json').send('{"title":"counted"}');
    expect(patched.status).toBe(200);
    expectValidBody(t.registry, patched, 'link');
    expect(patched.headers.ratelimit).toBe('writes-per-key;r=1;t=60');
    const deleted = await request(t.app).delete(`/api/links/${code}`).set('Authorization', bearer(KEYS.user));
    expect(deleted.status).toBe(204);
    expectValidBody(t.registry, deleted);
    expect(deleted.headers.ratelimit).toBe('writes-per-key;r=0;t=60');
    expect429(t, await request(t.app).delete('/api/links/facet').set('Authorization', bearer(KEYS.user)), 'writes-per-key');
  });

  it('never limits reads', async () => {
    for (let i = 0; i < 4; i += 1) expectValidBody(t.registry, await post(t.app, KEYS.user), 'link');
    for (const path of ['/api/links', '/api/links/facet', '/api/me']) {
      const res = await request(t.app).get(path).set('Authorization', bearer(KEYS.user)).set('Accept', FULL);
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, path === '/api/links' ? 'link-page' : path === '/api/me' ? 'me' : 'link');
      expect(res.headers.ratelimit).toBeUndefined();
    }
  });
});

describe('rate limiting of writes per client address', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ rateLimits: limits({ writesPerKey: 10, writesPerAddress: 2 }) }); });
  afterAll(async () => { await t.close(); });

  it('shares one quota among all the keys of an address, and reports both policies', async () => {
    const first = await post(t.app, KEYS.user);
    expect(first.status).toBe(201);
    expectValidBody(t.registry, first, 'link');
    expect(first.headers['ratelimit-policy']).toBe('writes-per-key;q=10;w=60, writes-per-address;q=2;w=60');
    expect(first.headers.ratelimit).toBe('writes-per-key;r=9;t=60, writes-per-address;r=1;t=60');
    expectValidBody(t.registry, await post(t.app, KEYS.other), 'link');
    const third = await post(t.app, KEYS.partner);
    expect429(t, third, 'writes-per-address');
    expect(third.headers.ratelimit).toBe('writes-per-key;r=9;t=60, writes-per-address;r=0;t=60');
  });

  it('counts writes without a key by address: the 401 turns into a 429 past the quota', async () => {
    expectProblem(t.registry, await post(t.app), 401, 'unauthorized');
    expectProblem(t.registry, await post(t.app), 401, 'unauthorized');
    expect429(t, await post(t.app), 'writes-per-address');
  });
});

describe('rate limiting of redirects per client address', () => {
  let t: TestApp;
  let server: http.Server;
  let base: string;
  /** One HTTP agent per client address: connections leave from that loopback address. */
  const from = (address: string) => new http.Agent({ localAddress: address });
  const clients = { a: from('127.0.0.2'), b: from('127.0.0.3'), c: from('127.0.0.4') };
  const visit = (client: http.Agent, method: 'get' | 'head' = 'get', path = '/facet') => request(base)[method](path).agent(client);

  beforeAll(async () => {
    t = await createTestApp({ rateLimits: limits({ redirectsPerAddress: 2, maxPartitions: 2 }) });
    server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    for (const agent of Object.values(clients)) agent.destroy();
    await t.close();
  });

  it('answers 302 within the quota and 429 past it, counting HEAD as a visit', async () => {
    const first = await visit(clients.a);
    expect(first.status).toBe(302);
    expectValidBody(t.registry, first);
    expect(first.headers['ratelimit-policy']).toBe('redirects-per-address;q=2;w=60');
    expect(first.headers.ratelimit).toBe('redirects-per-address;r=1;t=60');
    const peek = await visit(clients.a, 'head');
    expect(peek.status).toBe(302);
    expectValidBody(t.registry, peek);
    const refused = await visit(clients.a);
    expect429(t, refused, 'redirects-per-address');
    expect(refused.headers.location).toBeUndefined();
  });

  it('counts every spelling that reaches the redirect route, and past the quota none redirects or records a click', async () => {
    for (const path of ['/rfc9110/', '/rfc%39110']) {
      const res = await visit(clients.a, 'get', path);
      expect(res.status).toBe(302);
      expectValidBody(t.registry, res);
    }
    const pending = t.clicks.pending();
    for (const path of ['/rfc9110', '/rfc9110/', '/rfc%39110', '/rfc9110?utm=x', '/RFC9110', '/nope-nope']) {
      expect429(t, await visit(clients.a, 'get', path), 'redirects-per-address');
    }
    expect(t.clicks.pending()).toBe(pending);
  });

  it('reads nothing from the store for a visit over the quota, known code or not: the limit shields the store', async () => {
    for (let i = 0; i < 2; i += 1) expectValidBody(t.registry, await visit(clients.a));
    const reads = [jest.spyOn(t.store.links, 'findByCode'), jest.spyOn(t.store.links, 'peekByCode')];
    try {
      for (const path of ['/nope-1', '/nope-2', '/nope-3', '/nope-4', '/nope-5', '/facet']) {
        expect429(t, await visit(clients.a, 'get', path), 'redirects-per-address');
      }
      for (const read of reads) expect(read).not.toHaveBeenCalled();
    } finally {
      for (const read of reads) read.mockRestore();
    }
  });

  it('reads the client address through one function, whichever path answers the visit', async () => {
    const address = jest.spyOn(clientAddresses, 'clientAddress');
    try {
      for (const path of ['/facet', '/facet/']) { // the dispatcher's spelling, then one only Express routes
        const res = await visit(clients.c, 'get', path);
        expect(res.status).toBe(302);
        expectValidBody(t.registry, res);
      }
      expect(address.mock.results.map((r) => r.value as string)).toEqual(['127.0.0.4', '127.0.0.4']);
    } finally {
      address.mockRestore();
    }
  });

  it('keeps a separate quota for each client address', async () => {
    for (let i = 0; i < 3; i += 1) expectValidBody(t.registry, await visit(clients.a));
    const other = await visit(clients.b);
    expect(other.status).toBe(302);
    expectValidBody(t.registry, other);
  });

  it('does not count the API, the meta routes or reserved paths as visits', async () => {
    for (let i = 0; i < 3; i += 1) expectValidBody(t.registry, await visit(clients.a));
    const card = await visit(clients.a, 'get', '/api/links/facet');
    expect(card.status).toBe(200);
    expectValidBody(t.registry, card, 'link');
    expect(card.headers.ratelimit).toBeUndefined();
    const health = await visit(clients.a, 'get', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers.ratelimit).toBeUndefined();
    const reserved = await visit(clients.a, 'get', '/status');
    expectProblem(t.registry, reserved, 404, 'not-found');
    expect(reserved.headers.ratelimit).toBeUndefined();
  });

  it('bounds its memory: past maxPartitions the least recently seen address is forgotten and starts afresh', async () => {
    for (let i = 0; i < 2; i += 1) expectValidBody(t.registry, await visit(clients.a));
    expect429(t, await visit(clients.a), 'redirects-per-address');
    expectValidBody(t.registry, await visit(clients.b));
    expectValidBody(t.registry, await visit(clients.c)); // a third address: a is the least recently seen
    const again = await visit(clients.a);
    expect(again.status).toBe(302);
    expectValidBody(t.registry, again);
    expect(again.headers.ratelimit).toBe('redirects-per-address;r=1;t=60');
  });
});

describe('rate-limit configuration', () => {
  it('defaults to generous limits per minute', () => {
    expect(loadConfig({}).rateLimits).toEqual({ ...DEFAULT_RATE_LIMITS, ...DEFAULT_READ_QUOTA });
    expect(DEFAULT_RATE_LIMITS).toEqual({ windowSeconds: 60, writesPerKey: 600, writesPerAddress: 1200, redirectsPerAddress: 6000 });
  });

  it('reads each limit from its environment variable', () => {
    expect(loadConfig({
      RATE_LIMIT_WINDOW_SECONDS: '10', RATE_LIMIT_WRITES_PER_KEY: '5', RATE_LIMIT_WRITES_PER_ADDRESS: '0', RATE_LIMIT_REDIRECTS_PER_ADDRESS: '7',
    }).rateLimits).toEqual({ windowSeconds: 10, writesPerKey: 5, writesPerAddress: 0, redirectsPerAddress: 7, ...DEFAULT_READ_QUOTA });
  });

  it.each([
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['RATE_LIMIT_WINDOW_SECONDS', '1.5'],
    ['RATE_LIMIT_WRITES_PER_KEY', '-1'],
    ['RATE_LIMIT_WRITES_PER_ADDRESS', 'lots'],
    ['RATE_LIMIT_REDIRECTS_PER_ADDRESS', '1e10'],
    ['RATE_LIMIT_READ_WINDOW_SECONDS', '0'],
    ['RATE_LIMIT_READS_PER_CREDENTIAL', '-1'],
  ])('stops on %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('turns a limit off with 0: no quota, no RateLimit fields', async () => {
    const t = await createTestApp({ rateLimits: limits({}) });
    try {
      for (let i = 0; i < 3; i += 1) {
        const res = await post(t.app, KEYS.user);
        expect(res.status).toBe(201);
        expectValidBody(t.registry, res, 'link');
        expect(res.headers.ratelimit).toBeUndefined();
      }
    } finally {
      await t.close();
    }
  });
});

describe('addressPartition()', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:0DB8:00aa:00bb:ffff::1', '2001:db8:aa:bb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('files %s under %s', (address, partition) => {
    expect(addressPartition(address)).toBe(partition);
  });
});
