import fc from 'fast-check';
import request from 'supertest';
import type { Response } from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import { DEFAULT_RATE_LIMITS } from '../../../src/config';
import * as windows from '../../../src/http/guards/rate-limit-windows';
import { createMetrics } from '../../../src/observability/metrics';
import type { Metrics } from '../../../src/observability/metrics';
import type { Store } from '../../../src/domain/repository';
import { accept, authorization, goodAccept, goodAuthorization, platform } from '../../property/arbitraries';
import { routeTraits, SEED } from '../../property/harness';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp, FIXED_NOW, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';

/**
 * The dispatcher (src/http/pipeline/dispatcher.ts) answers the hottest reads without Express. Two apps, each
 * on its own copy of the seeded store — one with the dispatcher, one Express only — are sent the
 * same requests in the same order and must do the same: status, headers (Date and connection
 * headers aside), bytes, every call into the store, and every decision of the rate limiter (which
 * policy, which partition, what was left). Time is frozen for both — the limiters' clocks and the
 * caches' `performance.now()` — so their caches expire alike.
 */

let fast: TestApp;
let reference: TestApp;
let metrics: Metrics;
const storeCalls = new Map<Store, string[]>();
let take: jest.SpyInstance<windows.Usage, Parameters<typeof windows.take>>;

/** Spies on every repository method of a store, logging each call with its arguments. */
function spyOnStore(store: Store): string[] {
  const log: string[] = [];
  for (const name of ['links', 'keys', 'users', 'clicks'] as const) {
    const repo = store[name] as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of Object.keys(repo)) {
      if (typeof repo[method] !== 'function') continue;
      const original = repo[method].bind(repo);
      jest.spyOn(repo, method).mockImplementation((...args: unknown[]) => {
        log.push(`${name}.${method}(${JSON.stringify(args)})`);
        return original(...args);
      });
    }
  }
  return log;
}

beforeAll(async () => {
  jest.spyOn(performance, 'now').mockReturnValue(1_000_000);
  metrics = createMetrics();
  const rateLimits = { ...DEFAULT_RATE_LIMITS, clock: () => FIXED_NOW.getTime() };
  fast = await createTestApp({ rateLimits, metrics });
  reference = await createTestApp({ rateLimits, fastPath: false });
  storeCalls.set(fast.store, spyOnStore(fast.store));
  storeCalls.set(reference.store, spyOnStore(reference.store));
  take = jest.spyOn(windows, 'take');
});
afterAll(async () => {
  jest.restoreAllMocks();
  await fast.close();
  await reference.close();
});

interface Sent { method: 'GET' | 'HEAD'; path: string; headers: Record<string, string | undefined> }

function send(app: TestApp['app'], c: Sent): Promise<Response> {
  const req = c.method === 'GET' ? request(app).get(c.path) : request(app).head(c.path);
  for (const [name, value] of Object.entries(c.headers)) if (value !== undefined) req.set(name, value);
  return req.then((res) => res);
}

const TRANSPORT = new Set(['date', 'connection', 'keep-alive']);

async function fastPathAnswers(): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('facet_http_fast_path_total')!.get();
  return metric.values[0]?.value ?? 0;
}

/** Sends `c` to one app; what a client observes, and what the app asked of its store and limiter. */
async function observe(t: TestApp, c: Sent) {
  const calls = storeCalls.get(t.store)!;
  const storeBefore = calls.length;
  const limiterBefore = take.mock.calls.length;
  const res = await send(t.app, c);
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !TRANSPORT.has(name)));
  const decisions = take.mock.results.slice(limiterBefore).map((r, i) => {
    const [policy, partition, now] = take.mock.calls[limiterBefore + i]!;
    const usage = r.value as windows.Usage;
    return { policy: policy.name, partition, now, remaining: usage.remaining, exceeded: usage.exceeded };
  });
  return { res, seen: { case: c, status: res.status, headers, body: res.text ?? '', storeCalls: calls.slice(storeBefore), decisions } };
}

/** Sends `c` to both apps (the fast one first), checks they did the same and the body is schema-valid. */
async function sendToBoth(c: Sent): Promise<{ res: Response; viaFastPath: boolean; decisions: unknown[] }> {
  const before = await fastPathAnswers();
  const mine = await observe(fast, c);
  const viaFastPath = (await fastPathAnswers()) > before;
  const theirs = await observe(reference, c);
  expect(mine.seen).toEqual(theirs.seen);
  // Express routes ignore case, a trailing slash and the query: so does the schema lookup.
  expectValidBody(fast.registry, mine.res, routeTraits(c.method, c.path.toLowerCase().replace(/\?.*$/, '').replace(/(.)\/$/, '$1')).resource);
  return { res: mine.res, viaFastPath, decisions: mine.seen.decisions };
}

const card = (code: string, headers: Record<string, string | undefined>): Sent => ({ method: 'GET', path: `/api/links/${code}`, headers });
const get = (path: string, headers: Record<string, string | undefined> = {}): Sent => ({ method: 'GET', path, headers });

describe('the dispatcher in front of Express', () => {
  it.each([
    ['summary', { Accept: SUMMARY }],
    ['full', { Accept: FULL }],
    ['partner.v3', { Accept: PARTNER_V3 }],
    ['the default', {}],
    ['a platform default', { 'X-Client-Platform': 'ios', Accept: '*/*' }],
    ['a partner key\'s pinned default', { Authorization: `Bearer ${KEYS.partner}` }],
  ])('answers a public card as %s exactly as Express does, from the first request on', async (_name, headers) => {
    await sendToBoth(card('rfc9110', headers));
    const { res, viaFastPath } = await sendToBoth(card('rfc9110', headers));
    expect(res.status).toBe(200);
    expect(viaFastPath).toBe(true);
    const revalidated = await sendToBoth(card('rfc9110', { ...headers, 'If-None-Match': res.headers.etag as string }));
    expect(revalidated.res.status).toBe(304);
    expect(revalidated.viaFastPath).toBe(true);
  });

  it.each([['summary', SUMMARY], ['full', FULL]])('answers a user\'s %s dashboard exactly as Express does', async (_name, type) => {
    const c = get('/api/dashboard', { Authorization: `Bearer ${KEYS.user}`, Accept: type });
    await sendToBoth(c);
    const { res, viaFastPath } = await sendToBoth(c);
    expect(res.status).toBe(200);
    expect(viaFastPath).toBe(true);
  });

  it('follows a short link exactly as Express does, with the same limiter decision and a click each', async () => {
    const c = get('/rfc9111', { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', 'CF-IPCountry': 'fr' });
    await sendToBoth(c);
    const pending = fast.clicks.pending();
    const { res, viaFastPath, decisions } = await sendToBoth(c);
    expect(res.status).toBe(302);
    expect(res.headers.ratelimit).toMatch(/^redirects-per-address;r=\d+;t=\d+$/);
    expect(decisions).toEqual([expect.objectContaining({ policy: 'redirects-per-address', exceeded: false })]);
    expect(viaFastPath).toBe(true);
    expect(fast.clicks.pending()).toBe(pending + 1);
    expect(reference.clicks.pending()).toBe(pending + 1);
  });

  it.each([
    ['an unknown code', card('nope-nope', {})],
    ['an unacceptable type', card('rfc9110', { Accept: 'text/plain' })],
    ['an Accept header over its limits', card('rfc9110', { Accept: `a"b, ${'x/y,'.repeat(40)}` })],
    ['a bad key', card('rfc9110', { Authorization: 'Bearer nope' })],
    ['a malformed Authorization header', card('rfc9110', { Authorization: 'Basic abc' })],
    ['a code too short', card('ab', {})],
    ['a partner key on the dashboard', get('/api/dashboard', { Authorization: `Bearer ${KEYS.partner}` })],
    ['no key on the dashboard', get('/api/dashboard')],
    ['an expired link', get('/demo49')],
    ['an unknown short code', get('/nope-nope')],
  ])('answers %s with the same problem as Express', async (_name, c) => {
    await sendToBoth(c);
    const { res, viaFastPath } = await sendToBoth(c);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(viaFastPath).toBe(true);
  });

  it.each<[string, Sent]>([
    ['an encoded code', card('rfc%39110', {})],
    ['an encoded short code', get('/rfc%39110')],
    ['a trailing slash', get('/rfc9110/')],
    ['a path in capitals', get('/API/LINKS/rfc9110')],
    ['a reserved word', get('/dashboard')],
  ])('leaves %s to Express, which reaches the same route', async (_name, c) => {
    await sendToBoth(c);
    const { viaFastPath } = await sendToBoth(c);
    expect(viaFastPath).toBe(false);
  });

  it('answers 500 problem+json on both paths, and lives on, when a shaping function throws for a link in the hot-read cache', async () => {
    const failures: unknown[][] = [];
    const crashing = await createTestApp({ log: (...args) => failures.push(args) });
    try {
      const warm = await request(crashing.app).get('/api/links/facet').set('Accept', SUMMARY);
      expect(warm.status).toBe(200); // the link is now in the hot-read cache
      expectValidBody(crashing.registry, warm, 'link');
      const shape = jest.spyOn(crashing.registry.resource('link').get(FULL), 'shape').mockImplementation(() => {
        throw new Error('shaping failed');
      });
      try {
        for (const path of ['/api/links/facet', '/api/links/facet/']) {
          const res = await request(crashing.app).get(path).set('Accept', FULL);
          const body = expectProblem(crashing.registry, res, 500, 'internal');
          expect(body.detail).not.toContain('shaping failed');
          expect(res.headers['x-content-type-options']).toBe('nosniff');
        }
      } finally {
        shape.mockRestore();
      }
      expect(failures.map(([message, err]) => [message, (err as Error).message])).toEqual([
        ['GET /api/links/facet failed', 'shaping failed'],
        ['GET /api/links/facet/ failed', 'shaping failed'],
      ]);
      const after = await request(crashing.app).get('/api/links/facet').set('Accept', FULL);
      expect(after.status).toBe(200);
      expectValidBody(crashing.registry, after, 'link');
    } finally {
      await crashing.close();
    }
  });

  it('never serves a card, dashboard or ETag older than this process\'s last write', async () => {
    const user = { Authorization: `Bearer ${KEYS.user}`, Accept: FULL };
    const first = await sendToBoth(card('facet', { Accept: FULL }));
    await sendToBoth(card('facet', { Accept: FULL }));
    await sendToBoth(get('/api/dashboard', user));

    for (const t of [fast, reference]) {
      const edited = await request(t.app).patch('/api/links/facet').set(user).set('Content-Type', 'application/json').send({ title: 'Renamed by the fast-path test' });
      expect(edited.status).toBe(200);
      expectValidBody(t.registry, edited, 'link');
    }
    const after = await sendToBoth(card('facet', { Accept: FULL, 'If-None-Match': first.res.headers.etag as string }));
    expect(after.res.status).toBe(200);
    expect(after.res.body.title).toBe('Renamed by the fast-path test');

    for (const t of [fast, reference]) {
      const created = await request(t.app).post('/api/links').set(user).set('Content-Type', 'application/json').send({ url: 'https://example.org/fast-path', code: 'fast-path-new' });
      expect(created.status).toBe(201);
      expectValidBody(t.registry, created, 'link');
    }
    const dashboard = await sendToBoth(get('/api/dashboard', user));
    expect(JSON.stringify(dashboard.res.body)).toContain('fast-path-new');

    const clicksBefore = (after.res.body as { clicks: number }).clicks;
    await sendToBoth(get('/facet'));
    await fast.clicks.flush();
    await reference.clicks.flush();
    const counted = await sendToBoth(card('facet', { Accept: FULL }));
    expect((counted.res.body as { clicks: number }).clicks).toBe(clicksBefore + 1);
  });

  it('answers generated reads of the hot URLs exactly as Express does', async () => {
    const path = fc.oneof(
      fc.constantFrom('facet', 'rfc9110', 'demo49', 'nope-nope', 'FACET', 'a.b', 'rfc%39110', 'dashboard', 'ab').map((code) => `/api/links/${code}`),
      fc.constantFrom('/api/dashboard', '/api/dashboard/', '/api/Dashboard', '/api/dashboard?x=1'),
      fc.constantFrom('facet', 'rfc9110', 'demo49', 'nope-nope', 'api', 'dashboard', 'facet/', 'facet?utm=1', 'FACET', 'rfc%39110').map((code) => `/${code}`),
    );
    const ifNoneMatch = fc.constantFrom(undefined, '*', '"stale"', 'W/"x"', 'current');
    const cases = fc.record({
      method: fc.constantFrom('GET' as const, 'HEAD' as const),
      path,
      accept: fc.oneof(goodAccept, accept),
      platform,
      authorization: fc.oneof(fc.constant(undefined), goodAuthorization, authorization),
      ifNoneMatch,
    });
    let viaFastPath = 0;
    let runs = 0;
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      const headers: Record<string, string | undefined> = { Accept: c.accept, 'X-Client-Platform': c.platform, Authorization: c.authorization };
      if (c.ifNoneMatch === 'current') {
        // Asked of both apps, so both keep counting the same requests.
        headers['If-None-Match'] = (await sendToBoth({ method: 'GET', path: c.path, headers })).res.headers.etag as string | undefined;
      } else {
        headers['If-None-Match'] = c.ifNoneMatch;
      }
      const answer = await sendToBoth({ method: c.method, path: c.path, headers });
      expect(answer.res.status).toBeLessThan(500);
      if (answer.viaFastPath) viaFastPath += 1;
      runs += 1;
    }), { seed: SEED, numRuns: 600 });
    process.stdout.write(`dispatcher parity: ${runs} generated reads, ${viaFastPath} answered by the dispatcher, all alike\n`);
    expect(viaFastPath).toBeGreaterThan(runs / 3);
  }, 60_000);
});
