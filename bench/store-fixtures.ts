import { hashKey } from '../src/domain/keys';
import { createPasswordHasher } from '../src/domain/passwords';
import type { Store } from '../src/domain/repository';
import { prng, seedDemoData } from '../src/domain/seed';
import type { Click } from '../src/domain/types';
import { createStore } from '../src/store/create-store';
import type { StoreConfig } from '../src/store/create-store';

const DAY = 86_400_000;
const LINKS_PER_USER = 10;
const DEVICES = ['mobile', 'mobile', 'desktop', 'desktop', 'tablet', 'bot', 'other'];
const COUNTRIES = ['US', 'US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN'];
const REFERRERS = [null, null, 'news.ycombinator.com', 'www.google.com', 'github.com'];

/** The API key of bench user `i` (seeded by `prepareStore`). */
export const benchKey = (i: number): string => `bench_user_key_${i}`;

/** The codes of the links `prepareStore` gives `users` bench users. */
export const benchCodes = (users: number): string[] =>
  Array.from({ length: users * LINKS_PER_USER }, (_, n) => `bu${Math.floor(n / LINKS_PER_USER)}x${n % LINKS_PER_USER}`);

/**
 * Migrates and seeds a store the way the service would (demo data, demo keys), then adds `users`
 * users, each with a key, 10 links and 30 days of clicks: dashboards that no cache has seen.
 * Closes the store again; the service under test opens it next.
 */
export async function prepareStore(config: StoreConfig, users: number): Promise<void> {
  const now = new Date();
  const store = await createStore(config, async (fresh) => {
    if (!(await fresh.isEmpty())) throw new Error('the bench needs an empty store');
    await seedDemoData(fresh, now, createPasswordHasher(10));
    await seedBenchUsers(fresh, users, now);
  });
  await store.close();
}

async function seedBenchUsers(store: Store, users: number, now: Date): Promise<void> {
  const random = prng(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  for (let u = 0; u < users; u += 1) {
    const id = `usr_bench_${u}`;
    await store.users.insert({ id, name: `Bench user ${u}`, email: `${id}@bench.invalid`, avatarUrl: null, createdAt: at(60) });
    await store.keys.insert({ id: `key_bench_${u}`, hash: hashKey(benchKey(u)), userId: id, kind: 'user', label: 'bench', prefix: benchKey(u).slice(0, 12) }, at(60));
    const clicks: Click[] = [];
    for (let i = 0; i < LINKS_PER_USER; i += 1) {
      const link = await store.links.insert({ code: `bu${u}x${i}`, ownerId: id, url: `https://example.org/${u}/${i}`, title: `Bench ${u}/${i}`, tags: [], expiresAt: null }, at(40 - i));
      if (!link) throw new Error(`bench code bu${u}x${i} already exists`);
      const popularity = 1 + Math.floor(random() * 6);
      for (let day = 0; day < 30; day += 1) {
        for (let k = Math.floor(random() * popularity); k > 0; k -= 1) {
          clicks.push({ linkRowId: link.rowId, at: new Date(at(day).getTime() - Math.floor(random() * DAY)), device: pick(DEVICES), country: pick(COUNTRIES), referrer: pick(REFERRERS) });
        }
      }
    }
    await store.clicks.insertBatch(clicks);
  }
}
