import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createAnalyticsService, windowDays } from '../../src/domain/analytics';
import type { Link } from '../../src/domain/types';
import type { Store } from '../../src/domain/repository';
import { createSqliteStore } from '../../src/store/create-store';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
let dir: string;
let store: Store;
let link: Link;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-analytics-'));
  store = createSqliteStore(dir);
  await store.users.insert({ id: 'u1', name: 'U', email: 'u@example.com', avatarUrl: null, createdAt: NOW });
  link = (await store.links.insert({ code: 'stat1', ownerId: 'u1', url: 'https://example.org/', title: null, tags: [], expiresAt: null }, NOW))!;
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const click = (daysAgo: number, device: string, country: string, referrer: string | null) =>
  ({ linkRowId: link.rowId, at: new Date(NOW.getTime() - daysAgo * DAY), device, country, referrer });

describe('the analytics service', () => {
  it('lists the days of a window oldest first, ending today (UTC)', () => {
    expect(windowDays(NOW, 3)).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
  });

  it('breaks a link’s clicks down by day, country, device and referrer within the window', async () => {
    await store.clicks.insertBatch([
      click(0, 'mobile', 'DE', 'news.example'), click(0, 'mobile', 'DE', null), click(1, 'desktop', 'US', null),
      click(40, 'bot', 'FR', null), // outside a 30-day window: in the total only
    ]);
    const current = (await store.links.findByCode('stat1'))!;
    const stats = (await createAnalyticsService(store.clicks, () => NOW).forLinks([current], 30)).get('stat1')!;
    expect(stats.total).toBe(4);
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.slice(-2)).toEqual([{ date: '2026-11-19', clicks: 1 }, { date: '2026-11-20', clicks: 2 }]);
    expect(stats.daily.reduce((sum, d) => sum + d.clicks, 0)).toBe(3);
    expect(stats.devices).toEqual({ mobile: 2, desktop: 1 });
    expect(stats.countries).toEqual({ DE: 2, US: 1 });
    expect(stats.referrers).toEqual({ '(direct)': 2, 'news.example': 1 });
  });

  it('answers from the daily roll-ups without reading raw clicks', async () => {
    await store.clicks.insertBatch([click(2, 'tablet', 'JP', null), click(2, 'tablet', 'JP', null)]);
    const db = new Database(path.join(dir, 'facet.db'));
    db.prepare('DELETE FROM clicks').run();
    db.close();
    const current = (await store.links.findByCode('stat1'))!;
    const stats = (await createAnalyticsService(store.clicks, () => NOW).forLinks([current], 7)).get('stat1')!;
    expect(stats.devices).toEqual({ tablet: 2 });
    expect(stats.daily.find((d) => d.date === '2026-11-18')?.clicks).toBe(2);
  });

  it('keeps a referrer named like an Object.prototype member as an ordinary count', async () => {
    await store.clicks.insertBatch([click(0, 'desktop', 'DE', '__proto__'), click(0, 'desktop', 'DE', 'constructor')]);
    const current = (await store.links.findByCode('stat1'))!;
    const stats = (await createAnalyticsService(store.clicks, () => NOW).forLinks([current], 7)).get('stat1')!;
    expect(Object.getPrototypeOf(stats.referrers)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(stats.referrers))).toEqual(JSON.parse('{"__proto__": 1, "constructor": 1}'));
  });
});
