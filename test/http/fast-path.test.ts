import fc from 'fast-check';
import request from 'supertest';
import type { Response } from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../representations/media-types';
import { createApp } from '../../src/app';
import type { FacetApp } from '../../src/app';
import { DEFAULT_RATE_LIMITS } from '../../src/config';
import { createMetrics } from '../../src/observability/metrics';
import type { Metrics } from '../../src/observability/metrics';
import { accept, authorization, goodAccept, goodAuthorization, platform } from '../property/arbitraries';
import { routeTraits, SEED } from '../property/harness';
import { expectValidBody } from '../helpers/schema';
import { createTestApp, FIXED_NOW, KEYS, TEST_CONFIG } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';

/**
 * The fast path (src/http/fast-path.ts) answers the hottest reads without Express. Two apps over
 * one store — one with the fast path, one Express only — must answer every request alike: status,
 * headers (Date and connection headers aside) and bytes. Both rate limiters run on one fixed clock
 * and see the same requests in the same order, so even their RateLimit headers agree.
 */

let t: TestApp;
let fast: FacetApp;
let expressOnly: FacetApp;
let metrics: Metrics;

beforeAll(async () => {
  t = await createTestApp();
  metrics = createMetrics();
  const common = {
    config: TEST_CONFIG,
    store: t.store,
    registry: t.registry,
    clicks: t.clicks,
    now: () => FIXED_NOW,
    rateLimits: { ...DEFAULT_RATE_LIMITS, clock: () => FIXED_NOW.getTime() },
  };
  fast = createApp({ ...common, metrics });
  expressOnly = createApp({ ...common, fastPath: false });
});
afterAll(async () => { await t.close(); });

interface Sent { method: 'GET' | 'HEAD'; path: string; headers: Record<string, string | undefined> }

function send(app: FacetApp, c: Sent): Promise<Response> {
  const req = c.method === 'GET' ? request(app).get(c.path) : request(app).head(c.path);
  for (const [name, value] of Object.entries(c.headers)) if (value !== undefined) req.set(name, value);
  return req.then((res) => res);
}

const TRANSPORT = new Set(['date', 'connection', 'keep-alive']);

/** What a client can observe of an answer, less what differs between any two answers. */
function observable(res: Response) {
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !TRANSPORT.has(name)));
  return { status: res.status, headers, body: res.text ?? '' };
}

async function fastPathAnswers(): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('facet_http_fast_path_total')!.get();
  return metric.values[0]?.value ?? 0;
}

/** Sends `c` to both apps (the fast one first), checks the answers are the same and schema-valid; returns the fast one. */
async function sendToBoth(c: Sent): Promise<{ res: Response; viaFastPath: boolean }> {
  const before = await fastPathAnswers();
  const res = await send(fast, c);
  const viaFastPath = (await fastPathAnswers()) > before;
  const reference = await send(expressOnly, c);
  expect({ case: c, ...observable(res) }).toEqual({ case: c, ...observable(reference) });
  // Express routes ignore case, a trailing slash and the query: so does the schema lookup.
  expectValidBody(t.registry, res, routeTraits(c.method, c.path.toLowerCase().replace(/\?.*$/, '').replace(/(.)\/$/, '$1')).resource);
  return { res, viaFastPath };
}

const card = (code: string, headers: Record<string, string | undefined>): Sent => ({ method: 'GET', path: `/api/links/${code}`, headers });

describe('the fast path', () => {
  it.each([
    ['summary', { Accept: SUMMARY }],
    ['full', { Accept: FULL }],
    ['partner.v3', { Accept: PARTNER_V3 }],
    ['the default', {}],
    ['a platform default', { 'X-Client-Platform': 'ios', Accept: '*/*' }],
    ['a partner key\'s pinned default', { Authorization: `Bearer ${KEYS.partner}` }],
  ])('answers a public card as %s exactly as Express does, from the second request on', async (_name, headers) => {
    await sendToBoth(card('rfc9110', headers)); // the first read fills the hot-read cache
    const { res, viaFastPath } = await sendToBoth(card('rfc9110', headers));
    expect(res.status).toBe(200);
    expect(viaFastPath).toBe(true);
    const revalidated = await sendToBoth(card('rfc9110', { ...headers, 'If-None-Match': res.headers.etag as string }));
    expect(revalidated.res.status).toBe(304);
    expect(revalidated.viaFastPath).toBe(true);
  });

  it.each([['summary', SUMMARY], ['full', FULL]])('answers a user\'s %s dashboard exactly as Express does once it is prepared', async (_name, type) => {
    const c: Sent = { method: 'GET', path: '/api/dashboard', headers: { Authorization: `Bearer ${KEYS.user}`, Accept: type } };
    await sendToBoth(c);
    const { res, viaFastPath } = await sendToBoth(c);
    expect(res.status).toBe(200);
    expect(viaFastPath).toBe(true);
  });

  it('follows a short link exactly as Express does, with the same rate-limit headers and a click each', async () => {
    const c: Sent = { method: 'GET', path: '/rfc9111', headers: { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', 'CF-IPCountry': 'fr' } };
    await sendToBoth(c);
    const pending = t.clicks.pending();
    const { res, viaFastPath } = await sendToBoth(c);
    expect(res.status).toBe(302);
    expect(res.headers.ratelimit).toMatch(/^redirects-per-address;r=\d+;t=\d+$/);
    expect(viaFastPath).toBe(true);
    expect(t.clicks.pending()).toBe(pending + 2); // one per app
  });

  it.each([
    ['an unknown code', card('nope-nope', {})],
    ['an unacceptable type', card('rfc9110', { Accept: 'text/html' })],
    ['a bad key', card('rfc9110', { Authorization: 'Bearer nope' })],
    ['a partner key on the dashboard', { method: 'GET', path: '/api/dashboard', headers: { Authorization: `Bearer ${KEYS.partner}` } } as Sent],
    ['no key on the dashboard', { method: 'GET', path: '/api/dashboard', headers: {} } as Sent],
    ['an expired link', { method: 'GET', path: '/demo49', headers: {} } as Sent],
    ['a reserved word', { method: 'GET', path: '/dashboard', headers: {} } as Sent],
    ['an encoded code', card('rfc%39110', {})],
  ])('leaves %s to Express', async (_name, c) => {
    await sendToBoth(c);
    const { viaFastPath } = await sendToBoth(c);
    expect(viaFastPath).toBe(false);
  });

  it('never serves a card, dashboard or ETag older than this process\'s last write', async () => {
    const user = { Authorization: `Bearer ${KEYS.user}`, Accept: FULL };
    const first = await sendToBoth(card('facet', { Accept: FULL }));
    await sendToBoth(card('facet', { Accept: FULL }));
    await sendToBoth({ method: 'GET', path: '/api/dashboard', headers: user });

    const edited = await request(fast).patch('/api/links/facet').set(user).set('Content-Type', 'application/json').send({ title: 'Renamed by the fast-path test' });
    expect(edited.status).toBe(200);
    expectValidBody(t.registry, edited, 'link');
    const after = await sendToBoth(card('facet', { Accept: FULL, 'If-None-Match': first.res.headers.etag as string }));
    expect(after.res.status).toBe(200);
    expect(after.res.body.title).toBe('Renamed by the fast-path test');

    const created = await request(fast).post('/api/links').set(user).set('Content-Type', 'application/json').send({ url: 'https://example.org/fast-path', code: 'fast-path-new' });
    expect(created.status).toBe(201);
    expectValidBody(t.registry, created, 'link');
    const dashboard = await sendToBoth({ method: 'GET', path: '/api/dashboard', headers: user });
    expect(JSON.stringify(dashboard.res.body)).toContain('fast-path-new');

    const clicksBefore = (after.res.body as { clicks: number }).clicks;
    await sendToBoth({ method: 'GET', path: '/facet', headers: {} });
    await t.clicks.flush();
    const counted = await sendToBoth(card('facet', { Accept: FULL }));
    expect((counted.res.body as { clicks: number }).clicks).toBe(clicksBefore + 2);
  });

  it('answers generated reads of the hot URLs exactly as Express does', async () => {
    const path = fc.oneof(
      fc.constantFrom('facet', 'rfc9110', 'demo49', 'nope-nope', 'FACET', 'a.b', 'rfc%39110', 'dashboard').map((code) => `/api/links/${code}`),
      fc.constantFrom('/api/dashboard', '/api/dashboard/', '/api/Dashboard', '/api/dashboard?x=1'),
      fc.constantFrom('facet', 'rfc9110', 'demo49', 'nope-nope', 'api', 'dashboard', 'facet/', 'facet?utm=1', 'FACET').map((code) => `/${code}`),
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
        // Asked of both apps, so both rate limiters keep counting the same requests.
        headers['If-None-Match'] = (await sendToBoth({ method: 'GET', path: c.path, headers })).res.headers.etag as string | undefined;
      } else {
        headers['If-None-Match'] = c.ifNoneMatch;
      }
      const answer = await sendToBoth({ method: c.method, path: c.path, headers });
      expect(answer.res.status).toBeLessThan(500);
      if (answer.viaFastPath) viaFastPath += 1;
      runs += 1;
    }), { seed: SEED, numRuns: 600 });
    process.stdout.write(`fast path parity: ${runs} generated reads, ${viaFastPath} answered by the fast path, all alike\n`);
    expect(viaFastPath).toBeGreaterThan(runs / 10);
  }, 30_000); // hundreds of generated requests: a shared, loaded machine needs more than the default 5 s
});
