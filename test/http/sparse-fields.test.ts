import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import type { ResourceName } from '../../representations/registry';
import { expectValidSparseBody } from '../helpers/relaxed-schema';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { bearer, expectNegotiatedVary } from './http-expect';

describe('sparse fieldsets (?fields=)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const get = (path: string, type: VendorType, key: string | undefined = KEYS.user) => {
    const req = request(t.app).get(path).set('Accept', type);
    return key ? req.set('Authorization', bearer(key)) : req;
  };

  it.each([
    ['link', '/api/links/facet', SUMMARY, 'code,clicks', { code: 'facet' }],
    ['link', '/api/links/facet', FULL, 'links.self,status', { status: 'active' }],
    ['link-page', '/api/links?limit=3', SUMMARY, 'items.code', {}],
    ['link-page', '/api/links?limit=3', FULL, 'items.code,items.clicks,pageSize', { pageSize: 3 }],
    ['link-stats', '/api/links/facet/stats', SUMMARY, 'total', {}],
    ['link-stats', '/api/links/facet/stats', FULL, 'total', {}],
    ['me', '/api/me', SUMMARY, 'name', {}],
    ['me', '/api/me', FULL, 'id', { id: 'usr_ada' }],
    ['team', '/api/teams/team_demo', SUMMARY, 'name', { name: 'Facet Demo' }],
    ['team', '/api/teams/team_demo', FULL, 'id,name', { id: 'team_demo' }],
    ['dashboard', '/api/dashboard', SUMMARY, 'recentLinks.code', {}],
    ['dashboard', '/api/dashboard', FULL, 'profile.name,links.link.code', {}],
  ] as const)('serves a sparse %s (%s as %s) with only %s, valid against the schema with required relaxed', async (resource, path, type, fields, expected) => {
    const sep = path.includes('?') ? '&' : '?';
    const whole = await get(path, type);
    const res = await get(`${path}${sep}fields=${fields}`, type);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expectNegotiatedVary(res);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expectValidSparseBody(resource as ResourceName, type, body);
    expect(body).toMatchObject(expected);
    const tops = new Set(fields.split(',').map((f) => f.split('.')[0]!));
    expect(Object.keys(body).sort()).toEqual([...tops].filter((k) => k in expectValidBody(t.registry, whole, resource)).sort());
    expect(res.headers.etag).toMatch(/^"[^"]+~[A-Za-z0-9_-]{12}(-gz|-br)?"$/);
    expect(res.headers.etag).not.toBe(whole.headers.etag);
  });

  it('selects inside every element of an array on the full dashboard', async () => {
    const res = await get('/api/dashboard?fields=profile.name,links.link.code', FULL);
    const body = JSON.parse(res.text) as { profile: object; links: object[] };
    expect(body.profile).toEqual({ name: expect.any(String) });
    expect(body.links.length).toBeGreaterThan(10);
    for (const entry of body.links) expect(entry).toEqual({ link: { code: expect.any(String) } });
    expectValidSparseBody('dashboard', FULL, body);
  });

  it('gives every spelling of one selection one ETag, revalidating to 304', async () => {
    const a = await get('/api/links/facet?fields=code,url', FULL, undefined);
    const b = await get('/api/links/facet?fields=url,code,url', FULL, undefined);
    expect(b.headers.etag).toBe(a.headers.etag);
    const again = await get('/api/links/facet?fields=url,code', FULL, undefined).set('If-None-Match', a.headers.etag as string);
    expect(again.status).toBe(304);
    expectValidBody(t.registry, again);
  });

  it('answers 400 invalid-fields naming an unknown path', async () => {
    const res = await get('/api/dashboard?fields=profile.name,links.link.secret', FULL);
    const body = expectProblem(t.registry, res, 400, 'invalid-fields');
    expect(body.detail).toMatch(/links\.link\.secret/);
    expectNegotiatedVary(res);
  });

  it('answers 400 for a path that exists only in another representation', async () => {
    const res = await get('/api/dashboard?fields=recentLinks', FULL);
    expect((expectProblem(t.registry, res, 400, 'invalid-fields').detail as string)).toMatch(/recentLinks/);
  });

  it.each([PARTNER_V3, PARTNER_V4].flatMap((type) => [
    [type, '/api/links/facet', KEYS.partner],
    [type, '/api/links', KEYS.partner],
    [type, '/api/links/facet/stats', KEYS.user],
    [type, '/api/me', KEYS.partner],
  ] as const))('refuses fields on %s (%s): a frozen contract has no variants', async (type, path, key) => {
    const res = await get(`${path}?fields=id`, type, key);
    expect((expectProblem(t.registry, res, 400, 'invalid-fields').detail as string)).toMatch(/frozen/);
    expectNegotiatedVary(res);
  });

  it.each([['fields='], ['fields=,'], ['fields=code&fields=nope']])('refuses ?%s on the card', async (query) => {
    expectProblem(t.registry, await get(`/api/links/facet?${query}`, SUMMARY, undefined), 400, 'invalid-fields');
  });

  it('combines with compression: the sparse answer has its own encoded ETag', async () => {
    const res = await get('/api/dashboard?fields=links.link', FULL).set('Accept-Encoding', 'br');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.etag).toMatch(/~[A-Za-z0-9_-]{12}-br"$/);
    expectValidSparseBody('dashboard', FULL, JSON.parse(res.text));
  });
});
