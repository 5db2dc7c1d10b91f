import { Writable } from 'node:stream';
import request from 'supertest';
import { SUMMARY } from '../../representations/media-types';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';

let t: TestApp;
let lines: string[];
let app: ReturnType<typeof createApp>;
const metrics = createMetrics();

beforeAll(async () => {
  t = await createTestApp();
  lines = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  app = createApp({
    config: { publicBaseUrl: 'http://localhost:3000', representationCacheBytes: 1 << 20, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000 },
    store: t.store, registry: t.registry, clicks: t.clicks, metrics,
    logger: createLogger({ level: 'info', destination: sink }),
  });
});
afterAll(async () => { await t.close(); });
beforeEach(() => { lines.length = 0; });

const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('request logs', () => {
  it('write one line per request with method, route, status, representation, bytes and duration', async () => {
    const res = await request(app).get('/api/links/facet').set('Accept', SUMMARY);
    expectValidBody(t.registry, res, 'link');
    const requests = entries().filter((e) => e.msg === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', route: '/api/links/:code', status: 200, representation: 'summary', bytes: Buffer.byteLength(res.text) });
    expect(typeof requests[0]!.durationMs).toBe('number');
  });

  it('never write a key or the Authorization header, even when the key is bad', async () => {
    expectValidBody(t.registry, await request(app).get('/api/links').set('Authorization', `Bearer ${KEYS.user}`), 'link-page');
    expectProblem(t.registry, await request(app).get('/api/me').set('Authorization', 'Bearer fct_user_secretsecretsecret'), 401, 'invalid-key');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const text = lines.join('\n');
    expect(text).not.toContain(KEYS.user);
    expect(text).not.toContain('secretsecret');
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('log a route template, not the raw path, for unknown URLs too', async () => {
    expectProblem(t.registry, await request(app).get('/api/whatever/123'), 404, 'not-found');
    expect(entries().find((e) => e.msg === 'request')).toMatchObject({ route: 'unmatched', status: 404, representation: 'problem' });
  });
});

describe('GET /metrics', () => {
  it('counts requests and bytes by route, status and representation, 406s by the type asked for, and cache hits', async () => {
    for (let i = 0; i < 3; i += 1) expectValidBody(t.registry, await request(app).get('/api/links/rfc9457').set('Accept', SUMMARY), 'link');
    expectProblem(t.registry, await request(app).get('/api/links/rfc9457').set('Accept', 'text/plain'), 406, 'not-acceptable');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const value = (pattern: RegExp) => Number(pattern.exec(res.text)?.[1]);
    expect(value(/facet_http_requests_total\{method="GET",route="\/api\/links\/:code",status="200",representation="summary"\} (\d+)/)).toBeGreaterThanOrEqual(3);
    expect(value(/facet_http_response_bytes_total\{route="\/api\/links\/:code",representation="summary"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/facet_negotiation_not_acceptable_total\{requested="text\/plain"\} (\d+)/)).toBe(1);
    expect(value(/facet_representation_cache_lookups_total\{result="hit"\} (\d+)/)).toBeGreaterThanOrEqual(2);
    expect(res.text).toContain('process_resident_memory_bytes');
  });
});
