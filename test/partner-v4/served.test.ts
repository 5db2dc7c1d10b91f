import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4 } from '../../representations/media-types';
import type { ResourceName } from '../../representations/registry';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const partner = `Bearer ${KEYS.partner}`;
const get = (path: string, accept: string, authorization = partner) =>
  request(t.app).get(path).set('Authorization', authorization).set('Accept', accept);

/** The same resource in partner.v3 and partner.v4, each validated against its schema. */
async function bothContracts(path: string, resource: ResourceName) {
  const [v3, v4] = await Promise.all([get(path, PARTNER_V3), get(path, PARTNER_V4)]);
  expect([v3.status, v4.status]).toEqual([200, 200]);
  expect([v3.headers['content-type'], v4.headers['content-type']]).toEqual([PARTNER_V3, PARTNER_V4]);
  return { v3: expectValidBody(t.registry, v3, resource), v4: expectValidBody(t.registry, v4, resource), res: v4 };
}

const epoch = (iso: unknown) => Math.floor(Date.parse(iso as string) / 1000);

describe('partner.v4, asked for by name with a partner key', () => {
  it('serves GET /api/links/{code} as partner.v3 member for member, then tags, status and updated_at', async () => {
    const { v3, v4, res } = await bothContracts('/api/links/demo45', 'link');
    const full = expectValidBody(t.registry, await get('/api/links/demo45', FULL), 'link');
    expect(v4).toEqual({ ...v3, tags: full.tags, status: full.status, updated_at: epoch(full.updatedAt) });
    expect(Object.keys(v4)).toEqual([...Object.keys(v3), 'tags', 'status', 'updated_at']);
    expect(res.headers.etag).not.toBe((await get('/api/links/demo45', PARTNER_V3)).headers.etag);
  });

  it('says expired of a link whose expiry has passed, as the full card does', async () => {
    const { v4 } = await bothContracts('/api/links/demo49', 'link');
    expect(v4.status).toBe('expired');
    expect(v4.expires_at as number).toBeLessThanOrEqual(FIXED_NOW.getTime() / 1000);
  });

  it('carries the tags the link has', async () => {
    const { v4 } = await bothContracts('/api/links/demo42', 'link');
    expect(v4.tags).toEqual(['docs']);
    expect(v4.status).toBe('active');
  });

  it('serves GET /api/links as partner paging of partner.v4 links, 25 a page', async () => {
    const { v3, v4, res } = await bothContracts('/api/links', 'link-page');
    const [d3, d4] = [v3.data as Record<string, unknown>[], v4.data as Record<string, unknown>[]];
    expect(d4).toHaveLength(Math.min(25, d3.length));
    expect(d4.map((l) => l.id)).toEqual(d3.map((l) => l.id));
    d4.forEach((link, i) => expect(link).toEqual({ ...d3[i], tags: link.tags, status: link.status, updated_at: link.updated_at }));
    expect({ has_more: v4.has_more, next_cursor: v4.next_cursor }).toEqual({ has_more: v3.has_more, next_cursor: v3.next_cursor });
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });

  it('pages on with its own next_cursor', async () => {
    const first = expectValidBody(t.registry, await get('/api/links?limit=2', PARTNER_V4), 'link-page');
    const next = await get(`/api/links?limit=2&cursor=${first.next_cursor as string}`, PARTNER_V4);
    expect(next.status).toBe(200);
    const page = expectValidBody(t.registry, next, 'link-page');
    expect((page.data as { id: string }[]).map((l) => l.id)).not.toContain((first.data as { id: string }[])[0]!.id);
  });

  it('serves GET /api/links/{code}/stats exactly as partner.v3 (stats have no tags, status or updated_at)', async () => {
    const { v3, v4 } = await bothContracts('/api/links/demo45/stats', 'link-stats');
    expect(v4).toEqual(v3);
    expect(v4.daily).toHaveLength(30);
  });

  it('serves GET /api/me exactly as partner.v3 (an account records no updated_at)', async () => {
    const { v3, v4 } = await bothContracts('/api/me', 'me');
    expect(v4).toEqual(v3);
    expect(v4).toMatchObject({ id: 'usr_acme', account_type: 'partner' });
  });

  it('serves a first-party caller who names it too', async () => {
    const res = await get('/api/me', PARTNER_V4, `Bearer ${KEYS.user}`);
    expect(res.headers['content-type']).toBe(PARTNER_V4);
    expect(expectValidBody(t.registry, res, 'me')).toMatchObject({ id: 'usr_ada', account_type: 'user' });
  });

  it('lists partner.v4 among the alternates of the other representations, and they among its', async () => {
    const v4 = await get('/api/links/demo45', PARTNER_V4);
    expectValidBody(t.registry, v4, 'link');
    expect(v4.headers.link).toContain(`type="${PARTNER_V3}"`);
    const v3 = await get('/api/links/demo45', PARTNER_V3);
    expectValidBody(t.registry, v3, 'link');
    expect(v3.headers.link).toContain(`type="${PARTNER_V4}"`);
  });
});

describe('partner.v4 and the partner pin', () => {
  it.each(['*/*', 'application/json', `${PARTNER_V4};q=0.5, */*`])('leaves a partner key on partner.v3 for %s: a frozen contract is asked for by name', async (accept) => {
    const res = await get('/api/links/demo45', accept);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'link');
  });

  it('answers the partner.v4 a partner key prefers over partner.v3', async () => {
    const res = await get('/api/links/demo45', `${PARTNER_V3};q=0.5, ${PARTNER_V4}`);
    expect(res.headers['content-type']).toBe(PARTNER_V4);
    expectValidBody(t.registry, res, 'link');
  });

  it.each([['/api/teams/team_demo'], ['/api/dashboard']])('is not offered by %s: 406 listing what is', async (path) => {
    const res = await get(path, PARTNER_V4, `Bearer ${KEYS.user}`);
    const body = expectProblem(t.registry, res, 406, 'not-acceptable');
    expect(body.acceptable).not.toContain(PARTNER_V4);
  });
});
