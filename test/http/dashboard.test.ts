import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import type { AnalyticsService } from '../../src/domain/analytics';
import { createAnalyticsService } from '../../src/domain/analytics';
import { createUserService } from '../../src/domain/users';
import type { UserService } from '../../src/domain/users';
import { createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const get = (app: TestApp['app'], accept: string, key: string = KEYS.user) =>
  request(app).get('/api/dashboard').set('Authorization', `Bearer ${key}`).set('Accept', accept);

const delay = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });

describe('GET /api/dashboard', () => {
  it('serves the mobile summary: name, avatar and the 10 most recent links with totals, within 1,500 bytes', async () => {
    const res = await get(t.app, SUMMARY);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(SUMMARY);
    const body = expectValidBody(t.registry, res, 'dashboard') as { user: { name: string }; recentLinks: { code: string; clicks: number }[] };
    expect(body.user.name).toBe('Ada Lovelace');
    expect(body.recentLinks).toHaveLength(10);
    const newest = await t.store.links.listByOwner('usr_ada', 10, null);
    expect(body.recentLinks.map((l) => l.code)).toEqual(newest.items.map((l) => l.code));
    expect(body.recentLinks.map((l) => l.clicks)).toEqual(newest.items.map((l) => l.clickCount));
    expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(1500);
  });

  it('serves the full web dashboard at least ten times the summary, with 30-day analytics per link', async () => {
    const summary = await get(t.app, SUMMARY);
    const res = await get(t.app, FULL);
    const body = expectValidBody(t.registry, res, 'dashboard') as {
      profile: { email: string }; teams: { id: string }[]; links: { link: { code: string }; analytics: { daily: number[]; devices: Record<string, number> } }[]; degraded: string[];
    };
    expect(body.degraded).toEqual([]);
    expect(body.profile.email).toBe('ada@example.com');
    expect(body.teams.map((team) => team.id)).toEqual(['team_demo']);
    expect(body.links).toHaveLength(40);
    for (const item of body.links) expect(item.analytics.daily).toHaveLength(30);
    const sizes = { summary: Buffer.byteLength(summary.text), full: Buffer.byteLength(res.text) };
    process.stdout.write(`dashboard sizes on the seed data: summary ${sizes.summary} B, full ${sizes.full} B (${(sizes.full / sizes.summary).toFixed(1)}x)\n`);
    expect(sizes.full).toBeGreaterThanOrEqual(10 * sizes.summary);
  });

  it('picks the summary for an iOS client that sends no Accept', async () => {
    const res = await request(t.app).get('/api/dashboard').set('Authorization', `Bearer ${KEYS.user}`).set('X-Client-Platform', 'ios');
    expect(res.headers['content-type']).toBe(SUMMARY);
    expect(res.headers.vary).toMatch(/Accept, X-Client-Platform/);
    expectValidBody(t.registry, res, 'dashboard');
  });

  it.each([PARTNER_V3, PARTNER_V4])('answers 406 for %s, which the dashboard does not offer, listing what it does (its JSON and the browsable view)', async (type) => {
    const res = await get(t.app, type);
    const body = expectProblem(t.registry, res, 406, 'not-acceptable');
    expect(body.acceptable).toEqual([FULL, SUMMARY, 'text/html']);
  });

  it('answers 403 to a partner key and 401 without a key', async () => {
    expectProblem(t.registry, await get(t.app, FULL, KEYS.partner), 403, 'forbidden');
    const anonymous = await request(t.app).get('/api/dashboard');
    expectProblem(t.registry, anonymous, 401, 'unauthorized');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('revalidates with If-None-Match to a 304 without a body', async () => {
    const first = await get(t.app, FULL);
    const again = await get(t.app, FULL).set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
    expectValidBody(t.registry, again);
    expect(again.headers['cache-control']).toBe('private, no-cache');
  });
});

describe('GET /api/dashboard with slow or failing internal services', () => {
  const SLOW_MS = 150;

  type Wrap = (real: { users: UserService; analytics: AnalyticsService }) => { users?: UserService; analytics?: AnalyticsService };

  /** An app whose users/analytics services are the real ones wrapped by `wrap`. */
  function appWith(wrap: Wrap, budgetMs: number, log?: (m: string) => void) {
    return createTestApp({
      services: (store) => wrap({ users: createUserService(store.users), analytics: createAnalyticsService(store.clicks, () => FIXED_NOW) }),
      budgetMs,
      log,
    });
  }

  it('takes about as long as the slowest service, not the sum of them', async () => {
    // Each slow call first waits until all three have started: called one after another, the first
    // would wait for ever and the budget would degrade it, so an undegraded answer proves overlap.
    let started = 0;
    let allStarted: () => void = () => undefined;
    const together = new Promise<void>((resolve) => { allStarted = resolve; });
    const slowly = async <T>(work: () => Promise<T>) => {
      started += 1;
      if (started === 3) allStarted();
      await together;
      await delay(SLOW_MS);
      return work();
    };
    const slow = await appWith((real) => ({
      users: { ...real.users, get: (id) => slowly(() => real.users.get(id)), teamsOf: (id) => slowly(() => real.users.teamsOf(id)) },
      analytics: { forLinks: (links, days) => slowly(() => real.analytics.forLinks(links, days)) },
    }), 2_000);
    const t0 = process.hrtime.bigint();
    const res = await get(slow.app, FULL);
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(`full dashboard with three services each ${SLOW_MS} ms slow: ${elapsedMs.toFixed(0)} ms (sum would be ${3 * SLOW_MS} ms)\n`);
    expectValidBody(slow.registry, res, 'dashboard');
    expect(JSON.parse(res.text).degraded).toEqual([]);
    expect(elapsedMs).toBeGreaterThanOrEqual(SLOW_MS);
    await slow.close();
  });

  it('still answers 200 when a service runs over its budget, with that section null and named in degraded', async () => {
    const logged: string[] = [];
    const slow = await appWith((real) => ({
      users: { ...real.users, teamsOf: async (id) => { await delay(SLOW_MS); return real.users.teamsOf(id); } },
    }), 30, (m) => logged.push(m));
    const res = await get(slow.app, FULL);
    expect(res.status).toBe(200);
    const body = expectValidBody(slow.registry, res, 'dashboard') as { teams: unknown; profile: unknown; degraded: string[] };
    expect(body.teams).toBeNull();
    expect(body.profile).not.toBeNull();
    expect(body.degraded).toEqual(['teams']);
    expect(logged).toContain('dashboard section teams degraded');
    await slow.close();
  });

  it('still answers 200 when the analytics service fails', async () => {
    const failing = await appWith(() => ({ analytics: { forLinks: async () => { throw new Error('analytics down'); } } }), 1_000);
    const res = await get(failing.app, FULL);
    const body = expectValidBody(failing.registry, res, 'dashboard') as { links: { analytics: unknown }[]; degraded: string[] };
    expect(body.degraded).toEqual(['analytics']);
    expect(body.links.every((l) => l.analytics === null)).toBe(true);
    await failing.close();
  });
});
