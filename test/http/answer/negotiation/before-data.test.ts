import request from 'supertest';
import { createTestApp, KEYS } from '../../../helpers/test-app';
import type { TestApp } from '../../../helpers/test-app';
import { expectProblem } from '../../../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });
afterEach(() => { jest.restoreAllMocks(); });

describe('rule 6: negotiation runs before any data is loaded', () => {
  it('answers 406 for the public card without reading the link', async () => {
    const read = jest.spyOn(t.store.links, 'findByCode');
    const res = await request(t.app).get('/api/links/facet').set('Accept', 'text/plain');
    const body = expectProblem(t.registry, res, 406, 'not-acceptable');
    expect(body.acceptable).toEqual([...t.registry.resource('link').offers, 'text/html']);
    expect(res.headers.vary).toMatch(/Accept, X-Client-Platform/);
    expect(read).not.toHaveBeenCalled();
  });

  it('answers 406 for a listing without querying the owner’s links', async () => {
    const list = jest.spyOn(t.store.links, 'listByOwner');
    const res = await request(t.app).get('/api/links').set('Authorization', `Bearer ${KEYS.user}`).set('Accept', 'application/xml');
    expectProblem(t.registry, res, 406, 'not-acceptable');
    expect(list).not.toHaveBeenCalled();
  });

  it('answers 406 for a create without storing anything', async () => {
    const insert = jest.spyOn(t.store.links, 'insert');
    const res = await request(t.app)
      .post('/api/links')
      .set('Authorization', `Bearer ${KEYS.user}`)
      .set('Accept', 'text/plain')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ url: 'https://example.org/' }));
    expectProblem(t.registry, res, 406, 'not-acceptable');
    expect(insert).not.toHaveBeenCalled();
  });

  it('carries Vary on a 406 answered to a HEAD request', async () => {
    const res = await request(t.app).head('/api/links/facet').set('Accept', 'text/plain');
    expect(res.status).toBe(406);
    expect(res.headers.vary).toMatch(/Accept, X-Client-Platform/);
    expect(res.text ?? '').toBe('');
  });
});

describe('Vary on errors of negotiated URLs', () => {
  it.each([
    // A route that reads the session cookie varies on it, its 401 included; the public card does not read it.
    ['a 401 for a missing key', '/api/links', {}, 401, 'unauthorized', 'Accept, X-Client-Platform, Authorization, Cookie'],
    ['a 401 for a bad key', '/api/links/facet', { Authorization: 'Bearer nope' }, 401, 'invalid-key', 'Accept, X-Client-Platform, Authorization'],
    ['a 404 for an unknown link', '/api/links/no-such-code', {}, 404, 'not-found', 'Accept, X-Client-Platform, Authorization'],
    ['a 404 for an unknown API path', '/api/nothing-here', {}, 404, 'not-found', 'Accept, X-Client-Platform, Authorization'],
  ] as const)('is sent on %s', async (_name, path, headers, status, code, vary) => {
    const res = await request(t.app).get(path).set(headers);
    expectProblem(t.registry, res, status, code);
    expect(res.headers.vary).toBe(vary);
  });
});
