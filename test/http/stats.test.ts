import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const stats = (code: string, accept: string, key: string = KEYS.user) =>
  request(t.app).get(`/api/links/${code}/stats`).set('Authorization', `Bearer ${key}`).set('Accept', accept);

describe('GET /api/links/:code/stats', () => {
  it('gives the owner a summary of the total and the last 7 days', async () => {
    const res = await stats('facet', SUMMARY);
    expect(res.headers['content-type']).toBe(SUMMARY);
    const body = expectValidBody(t.registry, res, 'link-stats') as { total: number; last7Days: { date: string }[] };
    const link = await t.store.links.findByCode('facet');
    expect(body.total).toBe(link!.clickCount);
    expect(body.last7Days.map((d) => d.date).at(-1)).toBe('2026-11-20');
  });

  it('gives the full 30 days by day, country, device and referrer, adding up to the window’s clicks', async () => {
    const res = await stats('facet', FULL);
    const body = expectValidBody(t.registry, res, 'link-stats') as {
      daily: { clicks: number }[]; countries: { clicks: number }[]; devices: { clicks: number }[]; referrers: { clicks: number }[];
    };
    expect(body.daily).toHaveLength(30);
    const inWindow = body.daily.reduce((n, d) => n + d.clicks, 0);
    expect(inWindow).toBeGreaterThan(0);
    for (const breakdown of [body.countries, body.devices, body.referrers]) {
      expect(breakdown.reduce((n, d) => n + d.clicks, 0)).toBe(inWindow);
    }
  });

  it('gives partners the frozen shape with devices folded into MOBILE, DESKTOP and OTHER', async () => {
    const full = expectValidBody(t.registry, await stats('facet', FULL), 'link-stats') as { devices: { device: string; clicks: number }[] };
    const res = await stats('facet', PARTNER_V3);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    const body = expectValidBody(t.registry, res, 'link-stats') as { devices: Record<string, number> };
    const count = (name: string) => full.devices.find((d) => d.device === name)?.clicks ?? 0;
    expect(body.devices.MOBILE).toBe(count('mobile'));
    expect(body.devices.DESKTOP).toBe(count('desktop'));
    expect(body.devices.OTHER).toBe(count('tablet') + count('bot') + count('other'));
  });

  it('counts a followed link in the stats once the click batch is written', async () => {
    const before = expectValidBody(t.registry, await stats('rfc9110', SUMMARY), 'link-stats') as { total: number };
    const visit = await request(t.app).get('/rfc9110').set('User-Agent', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)').set('CF-IPCountry', 'NZ');
    expect(visit.status).toBe(302);
    expectValidBody(t.registry, visit);
    await t.clicks.flush();
    const after = expectValidBody(t.registry, await stats('rfc9110', FULL), 'link-stats') as { total: number; countries: { country: string; clicks: number }[] };
    expect(after.total).toBe(before.total + 1);
    expect(after.countries.find((c) => c.country === 'NZ')?.clicks).toBe(1);
  });

  it('hides another user’s link stats as 404 and needs a key', async () => {
    expectProblem(t.registry, await stats('facet', FULL, KEYS.other), 404, 'not-found');
    expectProblem(t.registry, await request(t.app).get('/api/links/facet/stats'), 401, 'unauthorized');
  });

  it('lets a partner read the stats of its own links', async () => {
    const res = await stats('demo40', PARTNER_V3, KEYS.partner);
    expect(expectValidBody(t.registry, res, 'link-stats').link_id).toBe('demo40');
  });

  it('gives partner.v4 exactly the partner.v3 stats: stats have no tags, status or updated_at to add', async () => {
    const v3 = expectValidBody(t.registry, await stats('demo40', PARTNER_V3, KEYS.partner), 'link-stats');
    const res = await stats('demo40', PARTNER_V4, KEYS.partner);
    expect(res.headers['content-type']).toBe(PARTNER_V4);
    expect(expectValidBody(t.registry, res, 'link-stats')).toEqual(v3);
  });
});
