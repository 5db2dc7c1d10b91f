import request from 'supertest';
import { FULL, PROBLEM } from '../../representations/media-types';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** Sends `method` to `path` as Ada. */
function call(method: string, path: string) {
  return request(t.app)[method.toLowerCase() as 'get'](path).set('Authorization', bearer(KEYS.user)).set('Accept', FULL);
}

/** The methods of an Allow header. */
const allowOf = (res: request.Response): string[] => String(res.headers.allow ?? '').split(',').map((m) => m.trim()).filter(Boolean);

describe('unsupported methods', () => {
  it.each([
    ['PUT', '/api/links/facet', ['GET', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS']],
    ['POST', '/api/links/facet', ['GET', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS']],
    ['PUT', '/api/links', ['GET', 'HEAD', 'POST', 'OPTIONS']],
    ['PATCH', '/api/links', ['GET', 'HEAD', 'POST', 'OPTIONS']],
    ['DELETE', '/api/links', ['GET', 'HEAD', 'POST', 'OPTIONS']],
  ])('answers %s %s with 405 and an Allow header', async (method, path, allowed) => {
    const res = await call(method, path);
    expectProblem(t.registry, res, 405, 'method-not-allowed');
    expect(allowOf(res).sort()).toEqual([...allowed].sort());
  });

  it('answers 405 before looking at the body or the link', async () => {
    const res = await call('PUT', '/api/links/no-such-link').set('Content-Type', 'text/plain').send('whatever');
    expectProblem(t.registry, res, 405, 'method-not-allowed');
  });

  it.each(['/api/links/facet', '/api/links'])('answers OPTIONS %s with 204, Allow and no body', async (path) => {
    const res = await request(t.app).options(path);
    expect(res.status).toBe(204);
    expectValidBody(t.registry, res);
    expect(allowOf(res)).toEqual(expect.arrayContaining(['GET', 'HEAD']));
  });

  // An unknown code keeps the probe harmless: DELETE and PATCH must not touch a real link.
  it.each([
    ['/api/links/:code', '/api/links/no-such-link'],
    ['/api/links', '/api/links'],
  ])('lists in Allow of %s only methods that are not answered with 405', async (_route, path) => {
    const options = await request(t.app).options(path);
    expectValidBody(t.registry, options);
    expect(allowOf(options).length).toBeGreaterThan(0);
    for (const method of allowOf(options)) {
      const res = await call(method, path);
      expect(res.status).not.toBe(405);
      expectValidBody(t.registry, res, 'link-page');
    }
  });
});

describe('error responses', () => {
  it('renders an unknown route as a 404 problem', async () => {
    expectProblem(t.registry, await request(t.app).get('/api/no-such-resource'), 404, 'not-found');
    expectProblem(t.registry, await request(t.app).get('/a/b/c'), 404, 'not-found');
  });

  it('gives every problem a stable type URI, a title and the request path as instance', async () => {
    const res = await request(t.app).get('/api/links/no-such-link').set('Accept', FULL);
    const body = expectProblem(t.registry, res, 404, 'not-found');
    expect(body.type).toBe('https://facet.example/problems/not-found');
    expect(body.title).toEqual(expect.any(String));
    expect(body.instance).toBe('/api/links/no-such-link');
  });

  it('does not let a shared cache keep an error', async () => {
    const res = await request(t.app).get('/api/links/no-such-link').set('Accept', FULL);
    expectProblem(t.registry, res, 404, 'not-found');
    expect(res.headers['cache-control']).toMatch(/no-store/);
  });

  it('answers an unexpected failure with an opaque 500 problem that leaks nothing', async () => {
    const secret = 'SQLITE_CORRUPT: database disk image is malformed at /work/main/src/store/sqlite/sqlite-store.ts:99:1';
    // Every read fails: a failed read of the fast path is left to Express, which reads again.
    const spy = jest.spyOn(t.store.links, 'findByCode').mockRejectedValue(new Error(secret));
    try {
      const res = await request(t.app).get('/api/links/facet').set('Accept', FULL);
      const body = expectProblem(t.registry, res, 500, 'internal');
      expect(res.text).not.toContain('SQLITE');
      expect(body.detail).not.toContain('malformed');
      expect(res.headers['content-type']).toBe(PROBLEM);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers an unexpected failure of the redirect with an opaque 500 problem', async () => {
    const spy = jest.spyOn(t.store.links, 'findByCode').mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'url')"));
    try {
      const res = await request(t.app).get('/facet');
      expectProblem(t.registry, res, 500, 'internal');
      expect(res.text).not.toContain('Cannot read');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('meta endpoints and other methods', () => {
  it.each(['/healthz', '/readyz', '/metrics', '/docs', '/representations/link/full.schema.json'])(
    'answers OPTIONS %s with 204 and Allow, and POST with a 405 problem',
    async (path) => {
      const options = await request(t.app).options(path);
      expect(options.status).toBe(204);
      expectValidBody(t.registry, options);
      expect(allowOf(options)).toEqual(['GET', 'HEAD', 'OPTIONS']);
      const post = await request(t.app).post(path);
      expectProblem(t.registry, post, 405, 'method-not-allowed');
    },
  );
});
