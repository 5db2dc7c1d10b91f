import request from 'supertest';
import { createApp } from '../../src/app';
import { createTestApp, KEYS, TEST_CONFIG } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('GET /representations/{file}', () => {
  it('serves a schema file the contract references', async () => {
    const res = await request(t.app).get('/representations/link/full.schema.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/schema+json');
    expect(JSON.parse(res.text)).toEqual(t.registry.schemas['link/full.schema.json']);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', '__defineGetter__'])(
    'answers 404 problem+json for the inherited property name %s',
    async (name) => {
      const res = await request(t.app).get(`/representations/${name}`);
      expectProblem(t.registry, res, 404, 'not-found');
      expect(res.headers['cache-control']).toBe('no-store');
    },
  );
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  const token = 'metrics-token-0123456789abcdef';
  const guarded = () => createApp({ config: { ...TEST_CONFIG, metricsToken: token }, store: t.store, registry: t.registry, clicks: t.clicks });

  it.each([
    ['no Authorization', undefined],
    ['a wrong token', 'Bearer metrics-token-0123456789abcdeX'],
    ['a token of another length', 'Bearer short'],
    ['the token without the Bearer scheme', token],
    ['a user API key', `Bearer ${KEYS.user}`],
  ])('answers 401 problem+json with a Bearer challenge for %s', async (_name, authorization) => {
    const req = request(guarded()).get('/metrics');
    if (authorization !== undefined) req.set('Authorization', authorization);
    const res = await req;
    expectProblem(t.registry, res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="metrics"/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).not.toContain('process_resident_memory_bytes');
  });

  it('serves the metrics for the token', async () => {
    const res = await request(guarded()).get('/metrics').set('Authorization', `bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('stays open without a token configured', async () => {
    const res = await request(t.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_resident_memory_bytes');
  });
});
