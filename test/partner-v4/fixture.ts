import { createFixedApp } from '../helpers/golden';
import type { FixtureApp } from '../helpers/golden';
import { hashKey } from '../../src/domain/keys';
import type { Store } from '../../src/domain/repository';

/**
 * The fixed clock and key of the partner.v4 fixture. It is its own (not partner.v3's), so the two
 * frozen contracts' goldens never move together, and it holds what v4 adds: tags, an expired link
 * and a link edited after it was made (updated_at after created_at).
 */
export const FIXTURE_NOW = new Date('2026-11-20T12:00:00.000Z');
export const FIXTURE_KEY = 'fixture_partner_v4_key';
const DAY = 86_400_000;
const at = (daysAgo: number, hour = 0) => new Date(FIXTURE_NOW.getTime() - daysAgo * DAY + hour * 3_600_000);

async function seedFixture(store: Store): Promise<void> {
  await store.users.insert({ id: 'usr_partner', name: 'Fixture Partner', email: 'api@partner.example', avatarUrl: null, createdAt: at(100) });
  await store.keys.insert({ id: 'key_fixture_v4', hash: hashKey(FIXTURE_KEY), userId: 'usr_partner', kind: 'partner', label: 'fixture' }, at(100));
  const links = [
    { code: 'abc123', url: 'https://example.com/launch', title: 'Launch post', tags: ['launch', 'blog'], expiresAt: null, created: 20 },
    { code: 'spring-sale', url: 'https://shop.example.com/sale?utm=partner', title: null, tags: ['sale'], expiresAt: at(1), created: 10 },
    { code: 'docs_v4', url: 'https://docs.example.com/v4/', title: 'Docs', tags: [], expiresAt: null, created: 5 },
  ];
  for (const l of links) {
    await store.links.insert({ code: l.code, ownerId: 'usr_partner', url: l.url, title: l.title, tags: l.tags, expiresAt: l.expiresAt }, at(l.created));
  }
  const first = (await store.links.findByCode('abc123'))!;
  await store.links.update('abc123', first.version, { title: 'Launch post, revised' }, at(2, 9));
  const devices = ['mobile', 'desktop', 'tablet', 'bot', 'other', 'mobile', 'desktop', 'desktop'];
  await store.clicks.insertBatch(devices.map((device, i) => ({
    linkRowId: first.rowId, at: at(i % 4, 3), device, country: i % 2 ? 'DE' : 'US', referrer: i % 3 ? null : 'news.example',
  })));
}

/** A real app over a fresh SQLite file holding only the partner.v4 fixture, on the fixed clock. */
export function createFixtureApp(): Promise<FixtureApp> {
  return createFixedApp(seedFixture, FIXTURE_NOW);
}
