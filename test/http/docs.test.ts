import request from 'supertest';
import { createTestApp } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const CSS = '/docs/assets/swagger-ui.css';

describe('GET /docs', () => {
  it('answers the page with a Content-Security-Policy that allows only this origin', async () => {
    const res = await request(t.app).get('/docs');
    expect(res.status).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('GET /docs/assets/{file}', () => {
  it.each(['swagger-ui.css', 'swagger-ui-bundle.js'])('serves %s, which the page loads', async (file) => {
    const res = await request(t.app).get(`/docs/assets/${file}`);
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
  });

  it.each([
    'package.json', 'index.html', 'swagger-initializer.js', 'swagger-ui.js', 'README.md', 'absolute-path.js',
    'swagger-ui-bundle.js.map', '%2e%2e/package.json', '..%2fpackage.json', 'SWAGGER-UI.CSS', 'swagger-ui.css/',
  ])('answers 404 problem+json for %s, which the page does not need', async (file) => {
    const res = await request(t.app).get(`/docs/assets/${file}`);
    expectProblem(t.registry, res, 404, 'not-found');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 416 problem+json, not cacheable, for a Range past the end', async () => {
    const res = await request(t.app).get(CSS).set('Range', 'bytes=99999999-');
    expectProblem(t.registry, res, 416, 'range-not-satisfiable');
    expect(res.headers['content-range']).toMatch(/^bytes \*\/\d+$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('answers 412 problem+json, not cacheable, for an If-Match that names another version', async () => {
    const res = await request(t.app).get(CSS).set('If-Match', '"not-this-one"');
    expectProblem(t.registry, res, 412, 'precondition-failed');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('still serves a satisfiable Range and answers 304 to a current ETag', async () => {
    const full = await request(t.app).get(CSS);
    const part = await request(t.app).get(CSS).set('Range', 'bytes=0-9');
    expect(part.status).toBe(206);
    expect(part.headers['content-length']).toBe('10');
    const again = await request(t.app).get(CSS).set('If-None-Match', full.headers.etag as string);
    expect(again.status).toBe(304);
  });
});
