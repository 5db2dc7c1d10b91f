import type { Store } from './repository';
import { hashKey } from './keys';
import { createPasswordHasher } from './passwords';
import type { PasswordHasher } from './passwords';
import type { Click } from './types';

/** The documented demo keys; they exist only in seeded demo data, never in production. */
export const DEMO_KEYS = { user: 'demo_user_key', partner: 'demo_partner_key' } as const;

/** The documented demo passwords (e-mail → password); likewise only in seeded demo data. */
export const DEMO_PASSWORDS = { 'ada@example.com': 'ada-demo-password', 'grace@example.com': 'grace-demo-password', 'api@acme.example.com': 'acme-demo-password' } as const;

const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32) so the demo data is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SITES = [
  ['facet', 'https://github.com/expressjs/express', 'Express'],
  ['rfc9110', 'https://www.rfc-editor.org/rfc/rfc9110', 'HTTP Semantics'],
  ['rfc9111', 'https://www.rfc-editor.org/rfc/rfc9111', 'HTTP Caching'],
  ['rfc9457', 'https://www.rfc-editor.org/rfc/rfc9457', 'Problem Details for HTTP APIs'],
  ['negotiator', 'https://github.com/jshttp/negotiator', 'negotiator'],
  ['bff', 'https://samnewman.io/patterns/architectural/bff/', 'Backends For Frontends'],
  ['varnish', 'https://varnish-cache.org/docs/', 'Varnish documentation'],
  ['mdn-vary', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Vary', 'Vary - MDN'],
] as const;
const DEVICES = ['mobile', 'mobile', 'mobile', 'desktop', 'desktop', 'tablet', 'bot', 'other'];
const COUNTRIES = ['US', 'US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'ZZ'];
const REFERRERS = [null, null, 'news.ycombinator.com', 'twitter.com', 'www.google.com', 'github.com'];

/** Seeds users with their demo passwords, a team, 50 links with 30 days of clicks and the two demo keys. */
export async function seedDemoData(store: Store, now: Date, hasher: PasswordHasher = createPasswordHasher()): Promise<{ links: number; clicks: number }> {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);

  const users = [
    { id: 'usr_ada', name: 'Ada Lovelace', email: 'ada@example.com', avatarUrl: 'https://avatars.example.com/ada.png', createdAt: at(90) },
    { id: 'usr_grace', name: 'Grace Hopper', email: 'grace@example.com', avatarUrl: null, createdAt: at(80) },
    { id: 'usr_acme', name: 'Acme Partner', email: 'api@acme.example.com', avatarUrl: null, createdAt: at(70) },
  ];
  for (const user of users) {
    await store.users.insert(user);
    await store.credentials.setPassword(user.id, await hasher.hash(DEMO_PASSWORDS[user.email as keyof typeof DEMO_PASSWORDS]), now);
  }
  await store.users.createTeam({ id: 'team_demo', name: 'Facet Demo', createdAt: at(85) }, [
    { userId: 'usr_ada', role: 'owner' },
    { userId: 'usr_grace', role: 'member' },
  ]);
  await store.keys.insert({ id: 'key_demo_user', hash: hashKey(DEMO_KEYS.user), userId: 'usr_ada', kind: 'user', label: 'demo user key', prefix: DEMO_KEYS.user.slice(0, 12) }, at(90));
  await store.keys.insert({ id: 'key_demo_partner', hash: hashKey(DEMO_KEYS.partner), userId: 'usr_acme', kind: 'partner', label: 'demo partner key', prefix: DEMO_KEYS.partner.slice(0, 12) }, at(70));

  let clicks = 0;
  for (let i = 0; i < 50; i += 1) {
    const site = SITES[i % SITES.length]!;
    const code = i < SITES.length ? site[0] : `demo${String(i).padStart(2, '0')}`;
    const ownerId = i < 40 ? 'usr_ada' : 'usr_acme';
    const createdDaysAgo = 60 - i;
    const link = await store.links.insert(
      { code, ownerId, url: i < SITES.length ? site[1] : `${site[1]}?ref=demo${i}`, title: site[2], tags: i % 3 === 0 ? ['docs'] : [], expiresAt: i === 49 ? at(1) : null },
      at(createdDaysAgo),
    );
    if (!link) throw new Error(`seed code ${code} already exists`);
    const batch: Click[] = [];
    const popularity = 1 + Math.floor(random() * 12);
    for (let day = 0; day < Math.min(30, createdDaysAgo); day += 1) {
      const n = Math.floor(random() * popularity);
      for (let k = 0; k < n; k += 1) {
        batch.push({ linkRowId: link.rowId, at: new Date(at(day).getTime() - Math.floor(random() * DAY)), device: pick(DEVICES), country: pick(COUNTRIES), referrer: pick(REFERRERS) });
      }
    }
    await store.clicks.insertBatch(batch);
    clicks += batch.length;
  }
  return { links: 50, clicks };
}
