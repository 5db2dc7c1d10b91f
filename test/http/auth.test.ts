import request from 'supertest';
import { FULL, SUMMARY } from '../../representations/media-types';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** The private routes: each needs a key. The JSON body makes POST and PATCH otherwise valid. */
const PRIVATE_ROUTES = [
  ['GET', '/api/links'],
  ['POST', '/api/links'],
  ['PATCH', '/api/links/facet'],
  ['DELETE', '/api/links/facet'],
] as const;

/** Sends `method path` with these headers and, for writes, a valid JSON body. */
function send(method: string, path: string, headers: Record<string, string>) {
  const req = request(t.app)[method.toLowerCase() as 'get'](path).set('Accept', FULL);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  if (method === 'POST' || method === 'PATCH') {
    req.set('Content-Type', 'application/json').send(JSON.stringify(method === 'POST' ? { url: 'https://example.com/auth' } : { title: 'Changed' }));
  }
  return req;
}

describe('authentication', () => {
  it.each(PRIVATE_ROUTES)('answers %s %s without a key with 401 and a Bearer challenge', async (method, path) => {
    const res = await send(method, path, {});
    expectProblem(t.registry, res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it.each(PRIVATE_ROUTES)('answers %s %s with an unknown key with 401 invalid_token', async (method, path) => {
    const res = await send(method, path, { Authorization: bearer('fct_user_not-a-real-key') });
    expectProblem(t.registry, res, 401, 'invalid-key');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b.*error="invalid_token"/);
  });

  it('leaves the link alone after refused writes', async () => {
    for (const [method, path] of PRIVATE_ROUTES) {
      expectValidBody(t.registry, await send(method, path, {}));
      expectValidBody(t.registry, await send(method, path, { Authorization: bearer('wrong') }));
    }
    const card = await request(t.app).get('/api/links/facet').set('Accept', FULL);
    expect(card.status).toBe(200);
    expect(expectValidBody(t.registry, card, 'link').title).not.toBe('Changed');
  });

  it.each([
    ['another scheme', 'Basic ZGVtbzpkZW1v'],
    ['a scheme without a token', 'Bearer'],
    ['two tokens', `Bearer ${KEYS.user} ${KEYS.user}`],
    ['a token without a scheme', KEYS.user],
    ['a key in the wrong case', bearer(KEYS.user.toUpperCase())],
    ['a key with a suffix', bearer(`${KEYS.user}x`)],
  ])('answers 401 invalid-key for %s', async (_name, authorization) => {
    const res = await send('GET', '/api/links', { Authorization: authorization });
    expectProblem(t.registry, res, 401, 'invalid-key');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it('accepts the scheme in any case (RFC 9110 §11.1)', async () => {
    const res = await send('GET', '/api/links', { Authorization: `bearer ${KEYS.user}`, Accept: SUMMARY });
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link-page');
  });

  it('answers 401 before negotiating, so a keyless client learns what it lacks first', async () => {
    const res = await send('GET', '/api/links', { Accept: 'text/plain' });
    expectProblem(t.registry, res, 401, 'unauthorized');
  });

  it('serves the public card with or without a valid key', async () => {
    const headerSets: Record<string, string>[] = [{}, { Authorization: bearer(KEYS.user) }, { Authorization: bearer(KEYS.other) }];
    for (const headers of headerSets) {
      const res = await send('GET', '/api/links/facet', headers);
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'link');
    }
  });

  it('answers the same 404 for another user\'s link as for a link that does not exist', async () => {
    const theirs = await send('PATCH', '/api/links/facet', { Authorization: bearer(KEYS.other) });
    const missing = await send('PATCH', '/api/links/no-such-link', { Authorization: bearer(KEYS.other) });
    const a = expectProblem(t.registry, theirs, 404, 'not-found');
    const b = expectProblem(t.registry, missing, 404, 'not-found');
    expect(a.title).toBe(b.title);
    expect(a.type).toBe(b.type);
  });
});
