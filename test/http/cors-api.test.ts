import request from 'supertest';
import { FULL, SUMMARY } from '../../representations/media-types';
import { CORS_EXPOSED_HEADERS } from '../../src/http/guards/cors';
import { createMetrics } from '../../src/observability/metrics';
import { expectValidBody } from '../helpers/schema';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { bearer, varyOf } from './http-expect';

const APP = 'https://app.example.com';

describe('CORS on /api with CORS_ORIGINS set', () => {
  let t: TestApp;
  const metrics = createMetrics();
  beforeAll(async () => { t = await createTestApp({ config: { corsOrigins: [APP] }, metrics }); });
  afterAll(async () => { await t.close(); });

  it('answers a preflight for a PATCH with If-Match before authentication, rate limits or routing', async () => {
    const res = await request(t.app).options('/api/links/facet').set('Origin', APP)
      .set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'authorization,content-type,if-match');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-methods']).toMatch(/PATCH/);
    expect(res.headers['access-control-allow-headers']).toMatch(/If-Match/);
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThanOrEqual(600);
    expect(varyOf(res)).toContain('origin');
  });

  it('logs and counts a preflight like any other answer, under its own route label', async () => {
    await request(t.app).options('/api/me').set('Origin', APP).set('Access-Control-Request-Method', 'GET');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/facet_http_requests_total\{[^}]*route="preflight"[^}]*status="204"[^}]*\} [1-9]/);
  });

  it.each([
    ['the public card (fast path)', '/api/links/facet', undefined, 'link', 200],
    ['the dashboard (fast path)', '/api/dashboard', KEYS.user, 'dashboard', 200],
    ['a page of links (Express)', '/api/links', KEYS.user, 'link-page', 200],
    ['a 401 without a key', '/api/me', undefined, undefined, 401],
    ['a 404', '/api/links/nope-nope', undefined, undefined, 404],
  ] as const)('grants %s to a listed origin, exposing the headers a client reads, varying on Origin', async (_name, path, key, resource, status) => {
    const req = request(t.app).get(path).set('Origin', APP).set('Accept', SUMMARY);
    const res = await (key ? req.set('Authorization', bearer(key)) : req);
    expect(res.status).toBe(status);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-expose-headers']).toBe(CORS_EXPOSED_HEADERS);
    expect(varyOf(res)).toEqual(expect.arrayContaining(['origin', 'accept']));
    expectValidBody(t.registry, res, resource);
  });

  it('varies on Origin on a 304 and for a caller without Origin, and grants nothing to another origin', async () => {
    const first = await request(t.app).get('/api/links/facet').set('Accept', FULL);
    expect(first.headers['access-control-allow-origin']).toBeUndefined();
    expect(varyOf(first)).toContain('origin');
    const revalidated = await request(t.app).get('/api/links/facet').set('Accept', FULL).set('Origin', APP).set('If-None-Match', first.headers.etag as string);
    expect(revalidated.status).toBe(304);
    expect(varyOf(revalidated)).toContain('origin');
    expect(revalidated.headers['access-control-allow-origin']).toBe(APP);
    const other = await request(t.app).get('/api/links/facet').set('Accept', FULL).set('Origin', 'https://evil.example');
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expectValidBody(t.registry, other, 'link');
  });

  it('answers an actual PATCH from a listed origin with the grant and its ETag exposed', async () => {
    const res = await request(t.app).patch('/api/links/facet').set('Origin', APP).set('Authorization', bearer(KEYS.user))
      .set('Content-Type', 'application/json').set('Accept', SUMMARY).send({ title: 'From the browser' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers.etag).toBeDefined();
    expectValidBody(t.registry, res, 'link');
  });

  it('leaves short links and the meta endpoints without a grant', async () => {
    const res = await request(t.app).get('/openapi.yaml').set('Origin', APP);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS without CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('grants nothing, answers OPTIONS as before (Allow) and does not vary on Origin', async () => {
    const preflight = await request(t.app).options('/api/links/facet').set('Origin', APP).set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.allow).toMatch(/GET/);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(t.app).get('/api/links/facet').set('Origin', APP);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(varyOf(res)).not.toContain('origin');
    expectValidBody(t.registry, res, 'link');
  });
});
