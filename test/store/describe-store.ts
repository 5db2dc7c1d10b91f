import type { Store } from '../../src/domain/repository';
import type { Click, Link, NewLink, User } from '../../src/domain/types';
import { describeCredentials } from './describe-credentials';
import { describeKeys } from './describe-keys';
import { announced, later, T0, user } from './store-fixtures';
import type { Another, StoreTraits } from './store-fixtures';

export type { StoreTraits } from './store-fixtures';

/** A store opened on an empty database, how to close it, and optionally a second store on the same data. */
export interface OpenedStore {
  store: Store;
  /** Closes the store and removes what the opener created. */
  close(): Promise<void>;
  /** Another store on the same database, as a second process would open it (for the concurrency checks). */
  openAnother(): Promise<{ store: Store; close(): Promise<void> }>;
}

const newLink = (code: string, ownerId = 'u1', fields: Partial<NewLink> = {}): NewLink =>
  ({ code, ownerId, url: `https://example.org/${code}`, title: null, tags: [], expiresAt: null, ...fields });
const click = (linkRowId: number, iso: string, device = 'mobile', country = 'DE', referrer: string | null = null): Click =>
  ({ linkRowId, at: new Date(iso), device, country, referrer });
/** Order-free comparison for results whose order the contract leaves open. */
const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * The contract every store passes (abstract-blob-store style): `open` is called before each test
 * and must answer a store on an empty database of its own; the suite never relies on seeded data.
 */
export function describeStore(name: string, open: () => Promise<OpenedStore>, traits: StoreTraits = {}): void {
  describe(`the ${name} store`, () => {
    let opened: OpenedStore | undefined;
    const store = () => (opened as OpenedStore).store;
    const withUsers = async (...ids: string[]) => { for (const id of ids) await store().users.insert(user(id)); };
    const insert = async (link: NewLink, now = T0) => {
      const stored = await store().links.insert(link, now);
      if (!stored) throw new Error(`code ${link.code} was taken`);
      return stored;
    };
    beforeEach(async () => { opened = await open(); }, 30_000);
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    describe('users', () => {
      it('finds an inserted user by id and by name, every field as inserted', async () => {
        const ada: User = { id: 'u-ada', name: 'Ada', email: 'ada@example.com', avatarUrl: 'https://img.example/ada.png', createdAt: later(123) };
        await store().users.insert(ada);
        expect(await store().users.findById('u-ada')).toEqual(ada);
        expect(await store().users.findByName('Ada')).toEqual(ada);
      });

      it('answers null for an id or a name nobody has', async () => {
        await withUsers('u1');
        expect(await store().users.findById('nobody')).toBeNull();
        expect(await store().users.findByName('Nobody')).toBeNull();
      });

      it('finds the earliest-created user when two share a name', async () => {
        await store().users.insert(user('u-late', 'Sam', later(1)));
        await store().users.insert(user('u-early', 'Sam', T0));
        expect((await store().users.findByName('Sam'))?.id).toBe('u-early');
      });

      // `npm run keys -- create` before the first start makes a user and a key: the demo seed must still run.
      it('is empty while it holds users and keys but no links, and not once a link is inserted', async () => {
        expect(await store().isEmpty()).toBe(true);
        await withUsers('u1');
        await store().keys.insert({ id: 'key_cli', hash: 'hash-of-a-cli-key', userId: 'u1', kind: 'user', label: 'made before the first start' }, T0);
        expect(await store().isEmpty()).toBe(true);
        await insert(newLink('first'));
        expect(await store().isEmpty()).toBe(false);
      });
    });

    describe('teams', () => {
      // Names sort by their bytes, as SQLite's default collation does: 'Cy' before 'ada'.
      it('returns a created team with each member as a full user and a role, members by name byte for byte', async () => {
        const [ada, cy] = [user('u-ada', 'ada'), user('u-cy', 'Cy')];
        for (const u of [ada, cy]) await store().users.insert(u);
        await store().users.createTeam({ id: 't1', name: 'Core', createdAt: T0 }, [{ userId: 'u-ada', role: 'owner' }, { userId: 'u-cy', role: 'member' }]);
        expect(await store().users.findTeam('t1')).toEqual({
          id: 't1', name: 'Core', createdAt: T0, members: [{ user: cy, role: 'member' }, { user: ada, role: 'owner' }],
        });
      });

      it("lists a user's teams by team name byte for byte, with the user's role in each", async () => {
        await withUsers('u1', 'u2');
        await store().users.createTeam({ id: 't-a', name: 'alpha', createdAt: T0 }, [{ userId: 'u1', role: 'owner' }, { userId: 'u2', role: 'member' }]);
        await store().users.createTeam({ id: 't-b', name: 'Beta', createdAt: T0 }, [{ userId: 'u1', role: 'member' }]);
        expect(await store().users.teamsOf('u1')).toEqual([{ id: 't-b', name: 'Beta', role: 'member' }, { id: 't-a', name: 'alpha', role: 'owner' }]);
        expect(await store().users.teamsOf('u2')).toEqual([{ id: 't-a', name: 'alpha', role: 'member' }]);
      });

      it('answers no teams for a user in none, and null for an unknown team', async () => {
        await withUsers('u1');
        expect(await store().users.teamsOf('u1')).toEqual([]);
        expect(await store().users.findTeam('no-such-team')).toBeNull();
      });

      it('creates no team at all when one of its members does not exist', async () => {
        await withUsers('u1');
        // Not rejects.toThrow(): better-sqlite3's errors are not Errors of this jest sandbox once its
        // native module was loaded by an earlier test file of the same worker.
        await expect(store().users.createTeam({ id: 't1', name: 'Core', createdAt: T0 }, [{ userId: 'u1', role: 'owner' }, { userId: 'ghost', role: 'member' }])).rejects.toBeTruthy();
        expect(await store().users.findTeam('t1')).toBeNull();
        expect(await store().users.teamsOf('u1')).toEqual([]);
      });
    });

    const another: Another = () => (opened as OpenedStore).openAnother();
    describeKeys({ store, withUsers, another, traits });
    describeCredentials({ store, withUsers, another, traits });
    describeLinks(store, withUsers, insert);
    describeClicks(store, withUsers, insert, another);

    describeSharing(store, withUsers, insert, another, traits);

    describe('health', () => {
      it('answers a ping while the database is reachable', async () => {
        await expect(store().ping()).resolves.toBeUndefined();
      });
    });
  });
}

type Insert = (link: NewLink, now?: Date) => Promise<Link>;
type WithUsers = (...ids: string[]) => Promise<void>;

function describeLinks(store: () => Store, withUsers: WithUsers, insert: Insert): void {
  describe('links', () => {
    it('stores a new link at version 1 with no clicks, created and updated at the given time', async () => {
      await withUsers('u1');
      const expiresAt = new Date('2027-01-01T00:00:00.001Z');
      const link = await insert(newLink('abc123', 'u1', { title: 'A title', tags: ['b', 'a'], expiresAt }), later(7));
      expect(link).toEqual({
        rowId: expect.any(Number) as number, code: 'abc123', ownerId: 'u1', url: 'https://example.org/abc123', title: 'A title',
        tags: ['b', 'a'], createdAt: later(7), updatedAt: later(7), expiresAt, version: 1, clickCount: 0,
      });
      expect(await store().links.findByCode('abc123')).toEqual(link);
    });

    it('answers null for a code nobody took', async () => {
      expect(await store().links.findByCode('nothing')).toBeNull();
    });

    it('refuses a taken code by answering null, leaving the first link intact', async () => {
      await withUsers('u1', 'u2');
      const first = await insert(newLink('dupe1'));
      expect(await store().links.insert(newLink('dupe1', 'u2', { url: 'https://evil.example/' }), later(1))).toBeNull();
      expect(await store().links.findByCode('dupe1')).toEqual(first);
    });

    it('tells codes apart by case', async () => {
      await withUsers('u1');
      await insert(newLink('AbCdEf'));
      expect(await store().links.insert(newLink('abcdef'), T0)).not.toBeNull();
      expect((await store().links.findByCode('AbCdEf'))?.url).toBe('https://example.org/AbCdEf');
    });

    it('never reuses a row id, not even that of a deleted link', async () => {
      await withUsers('u1');
      const first = await insert(newLink('first'));
      expect(await store().links.delete('first', 1)).toBe(true);
      const second = await insert(newLink('second'));
      expect(second.rowId).toBeGreaterThan(first.rowId);
    });

    describe('listing by owner', () => {
      // Seven links over three instants 1 ms apart, inserted out of time order, so that row order,
      // time order and the ties within one millisecond all differ.
      const seed = async () => {
        await withUsers('u1', 'u2');
        const times = [1, 0, 1, 2, 1, 0, 2];
        const links: Link[] = [];
        for (const [i, ms] of times.entries()) links.push(await insert(newLink(`own${i}`), later(ms)));
        await insert(newLink('other', 'u2'), later(1));
        return links.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.rowId - a.rowId).map((l) => l.code);
      };

      it('lists newest first, the later insert first among links of the same millisecond', async () => {
        const expected = await seed();
        const page = await store().links.listByOwner('u1', 50, null);
        expect(page.items.map((l) => l.code)).toEqual(expected);
        expect(page.next).toBeNull();
      });

      it('pages through ties without gaps or repeats, each page going on from the cursor of the one before', async () => {
        const expected = await seed();
        const seen: string[] = [];
        let after = null;
        for (let pages = 1; ; pages += 1) {
          const page = await store().links.listByOwner('u1', 2, after);
          seen.push(...page.items.map((l) => l.code));
          if (!page.next) break;
          const last = page.items[page.items.length - 1] as Link;
          expect(page.next).toEqual({ createdAt: last.createdAt.getTime(), rowId: last.rowId });
          expect(pages).toBeLessThan(4);
          after = page.next;
        }
        expect(seen).toEqual(expected);
      });

      it('ends on a full last page instead of pointing at an empty one', async () => {
        await seed();
        const first = await store().links.listByOwner('u1', 4, null);
        const second = await store().links.listByOwner('u1', 3, first.next);
        expect(second.items).toHaveLength(3);
        expect(second.next).toBeNull();
      });

      it('goes on after a cursor whose link has since been deleted', async () => {
        const expected = await seed();
        const first = await store().links.listByOwner('u1', 3, null);
        const last = first.items[2] as Link;
        expect(await store().links.delete(last.code, last.version)).toBe(true);
        const rest = await store().links.listByOwner('u1', 10, first.next);
        expect(rest.items.map((l) => l.code)).toEqual(expected.slice(3));
      });

      it("lists only the owner's own links, and nothing for an owner without any", async () => {
        await seed();
        expect((await store().links.listByOwner('u2', 10, null)).items.map((l) => l.code)).toEqual(['other']);
        expect(await store().links.listByOwner('nobody', 10, null)).toEqual({ items: [], next: null });
      });
    });

    describe('updating', () => {
      it('applies changes at the expected version, moving the version and updatedAt on and keeping the rest', async () => {
        await withUsers('u1');
        const before = await insert(newLink('upd1', 'u1', { title: 'old', tags: ['x'] }));
        const after = await store().links.update('upd1', 1, { url: 'https://example.org/new', tags: [] }, later(60_000));
        expect(after).toEqual({ ...before, url: 'https://example.org/new', tags: [], version: 2, updatedAt: later(60_000) });
        expect(await store().links.findByCode('upd1')).toEqual(after);
      });

      it('leaves undefined fields alone and clears the title and the expiry given as null', async () => {
        await withUsers('u1');
        const before = await insert(newLink('upd2', 'u1', { title: 'kept?', tags: ['t'], expiresAt: later(86_400_000) }));
        const cleared = await store().links.update('upd2', 1, { title: null, expiresAt: null }, later(1));
        expect(cleared).toEqual({ ...before, title: null, expiresAt: null, version: 2, updatedAt: later(1) });
        const untouched = await store().links.update('upd2', 2, {}, later(2));
        expect(untouched).toEqual({ ...before, title: null, expiresAt: null, version: 3, updatedAt: later(2) });
      });

      it('refuses a stale version with null and changes nothing', async () => {
        await withUsers('u1');
        await insert(newLink('upd3'));
        const current = await store().links.update('upd3', 1, { title: 'first' }, later(1));
        expect(await store().links.update('upd3', 1, { title: 'lost update' }, later(2))).toBeNull();
        expect(await store().links.findByCode('upd3')).toEqual(current);
      });

      it('answers null for a code nobody took', async () => {
        expect(await store().links.update('nothing', 1, { title: 'x' }, T0)).toBeNull();
      });
    });

    describe('deleting', () => {
      it('deletes only at the expected version', async () => {
        await withUsers('u1');
        await insert(newLink('del1'));
        expect(await store().links.delete('del1', 2)).toBe(false);
        expect(await store().links.findByCode('del1')).not.toBeNull();
        expect(await store().links.delete('del1', 1)).toBe(true);
        expect(await store().links.findByCode('del1')).toBeNull();
      });

      it('answers false for a code nobody took or a link already deleted', async () => {
        await withUsers('u1');
        await insert(newLink('del2'));
        expect(await store().links.delete('del2', 1)).toBe(true);
        expect(await store().links.delete('del2', 1)).toBe(false);
        expect(await store().links.delete('nothing', 1)).toBe(false);
      });
    });
  });
}


function describeClicks(store: () => Store, withUsers: WithUsers, insert: Insert, another: Another): void {
  describe('clicks', () => {
    const clicksOf = async (code: string) => (await store().links.findByCode(code))?.clickCount;
    const twoLinks = async () => {
      await withUsers('u1');
      return [(await insert(newLink('clk-a'))).rowId, (await insert(newLink('clk-b'))).rowId] as const;
    };

    it('counts a batch on each link and sums the window per UTC day and per value exactly', async () => {
      const [a, b] = await twoLinks();
      await store().clicks.insertBatch([
        click(a, '2026-11-18T10:00:00.000Z', 'mobile', 'DE', 'https://news.example/'),
        click(a, '2026-11-18T23:59:59.999Z', 'desktop', 'DE'),
        click(a, '2026-11-19T00:00:00.000Z', 'mobile', 'US'),
        click(b, '2026-11-19T08:00:00.000Z', 'other', 'FR', 'https://news.example/'),
      ]);
      expect([await clicksOf('clk-a'), await clicksOf('clk-b')]).toEqual([3, 1]);
      const window = await store().clicks.window([a, b], '2026-11-18');
      expect(sorted(window.perDay)).toEqual(sorted([
        { linkRowId: a, day: '2026-11-18', clicks: 2 }, { linkRowId: a, day: '2026-11-19', clicks: 1 }, { linkRowId: b, day: '2026-11-19', clicks: 1 },
      ]));
      expect(sorted(window.perValue)).toEqual(sorted([
        { linkRowId: a, dimension: 'device', value: 'mobile', clicks: 2 }, { linkRowId: a, dimension: 'device', value: 'desktop', clicks: 1 },
        { linkRowId: a, dimension: 'country', value: 'DE', clicks: 2 }, { linkRowId: a, dimension: 'country', value: 'US', clicks: 1 },
        { linkRowId: a, dimension: 'referrer', value: 'https://news.example/', clicks: 1 }, { linkRowId: a, dimension: 'referrer', value: '', clicks: 2 },
        { linkRowId: b, dimension: 'device', value: 'other', clicks: 1 }, { linkRowId: b, dimension: 'country', value: 'FR', clicks: 1 },
        { linkRowId: b, dimension: 'referrer', value: 'https://news.example/', clicks: 1 },
      ]));
    });

    it('starts the window on fromDay itself, days cut at UTC midnight', async () => {
      const [a] = await twoLinks();
      await store().clicks.insertBatch([click(a, '2026-11-18T23:59:59.999Z', 'desktop'), click(a, '2026-11-19T00:00:00.000Z', 'mobile')]);
      const window = await store().clicks.window([a], '2026-11-19');
      expect(window.perDay).toEqual([{ linkRowId: a, day: '2026-11-19', clicks: 1 }]);
      expect(sorted(window.perValue.filter((v) => v.dimension === 'device'))).toEqual([{ linkRowId: a, dimension: 'device', value: 'mobile', clicks: 1 }]);
    });

    it('adds up two batches on the same link and day, each click counted once', async () => {
      const [a] = await twoLinks();
      await store().clicks.insertBatch([click(a, '2026-11-19T08:00:00.000Z'), click(a, '2026-11-19T09:00:00.000Z')]);
      await store().clicks.insertBatch([click(a, '2026-11-19T10:00:00.000Z')]);
      expect(await clicksOf('clk-a')).toBe(3);
      const window = await store().clicks.window([a], '2026-11-19');
      expect(window.perDay).toEqual([{ linkRowId: a, day: '2026-11-19', clicks: 3 }]);
      expect(window.perValue.filter((v) => v.dimension === 'device')).toEqual([{ linkRowId: a, dimension: 'device', value: 'mobile', clicks: 3 }]);
    });

    it('drops the clicks of a deleted link and counts the rest of the batch', async () => {
      const [a, b] = await twoLinks();
      expect(await store().links.delete('clk-b', 1)).toBe(true);
      await store().clicks.insertBatch([click(a, '2026-11-19T08:00:00.000Z'), click(b, '2026-11-19T08:00:00.000Z'), click(a, '2026-11-19T09:00:00.000Z')]);
      expect(await clicksOf('clk-a')).toBe(2);
      const window = await store().clicks.window([a, b], '2026-11-01');
      expect(window.perDay).toEqual([{ linkRowId: a, day: '2026-11-19', clicks: 2 }]);
      expect(window.perValue.every((v) => v.linkRowId === a)).toBe(true);
    });

    it('reads only the links asked for, nothing for no links, and takes an empty batch as nothing', async () => {
      const [a, b] = await twoLinks();
      await store().clicks.insertBatch([]);
      await store().clicks.insertBatch([click(a, '2026-11-19T08:00:00.000Z'), click(b, '2026-11-19T08:00:00.000Z')]);
      expect((await store().clicks.window([b], '2026-11-01')).perDay).toEqual([{ linkRowId: b, day: '2026-11-19', clicks: 1 }]);
      expect(await store().clicks.window([], '2026-11-01')).toEqual({ perDay: [], perValue: [] });
    });

    it('adds batches that two stores on the same database write at once, each click counted once', async () => {
      const [a, b] = await twoLinks();
      const second = await another();
      try {
        const rounds = 10;
        for (let i = 0; i < rounds; i += 1) {
          // Opposite link orders: a store that locked rows in batch order would deadlock here.
          await Promise.all([
            store().clicks.insertBatch([click(a, '2026-11-19T08:00:00.000Z'), click(b, '2026-11-19T08:00:00.000Z', 'desktop')]),
            second.store.clicks.insertBatch([click(b, '2026-11-19T09:00:00.000Z'), click(a, '2026-11-19T09:00:00.000Z', 'desktop')]),
          ]);
        }
        expect([await clicksOf('clk-a'), await clicksOf('clk-b')]).toEqual([2 * rounds, 2 * rounds]);
        const window = await store().clicks.window([a, b], '2026-11-19');
        expect(sorted(window.perDay)).toEqual(sorted([{ linkRowId: a, day: '2026-11-19', clicks: 2 * rounds }, { linkRowId: b, day: '2026-11-19', clicks: 2 * rounds }]));
        expect(sorted(window.perValue.filter((v) => v.dimension === 'device' && v.linkRowId === a))).toEqual(sorted([
          { linkRowId: a, dimension: 'device', value: 'mobile', clicks: rounds }, { linkRowId: a, dimension: 'device', value: 'desktop', clicks: rounds },
        ]));
      } finally {
        await second.close();
      }
    });
  });
}

function describeSharing(store: () => Store, withUsers: WithUsers, insert: Insert, another: Another, traits: StoreTraits): void {
  describe('two stores on the same database', () => {
    it('gives a code that both take at once to exactly one of them', async () => {
      await withUsers('u1', 'u2');
      const second = await another();
      try {
        const [mine, theirs] = await Promise.all([
          store().links.insert(newLink('race1', 'u1'), T0),
          second.store.links.insert(newLink('race1', 'u2'), T0),
        ]);
        expect([mine, theirs].filter((l) => l !== null)).toHaveLength(1);
        expect((await store().links.findByCode('race1'))?.ownerId).toBe((mine ?? theirs)?.ownerId);
      } finally {
        await second.close();
      }
    });

    it('lets only one of two updates at the same version through', async () => {
      await withUsers('u1');
      await insert(newLink('race2'));
      const second = await another();
      try {
        const results = await Promise.all([
          store().links.update('race2', 1, { title: 'mine' }, later(1)),
          second.store.links.update('race2', 1, { title: 'theirs' }, later(1)),
        ]);
        const winners = results.filter((l) => l !== null);
        expect(winners).toHaveLength(1);
        expect(await store().links.findByCode('race2')).toEqual(winners[0]);
      } finally {
        await second.close();
      }
    });

    it('lets only one of an update and a delete at the same version through', async () => {
      await withUsers('u1');
      await insert(newLink('race3'));
      const second = await another();
      try {
        const [updated, deleted] = await Promise.all([
          store().links.update('race3', 1, { title: 'mine' }, later(1)),
          second.store.links.delete('race3', 1),
        ]);
        expect([updated !== null, deleted]).toContainEqual(false);
        expect([updated !== null, deleted]).toContainEqual(true);
        expect(await store().links.findByCode('race3')).toEqual(deleted ? null : updated);
      } finally {
        await second.close();
      }
    });

    it('never fails a batch of clicks racing the deletion of one of its links', async () => {
      await withUsers('u1');
      const [doomed, kept] = [await insert(newLink('race4')), await insert(newLink('race5'))];
      const second = await another();
      try {
        await Promise.all([
          second.store.links.delete('race4', 1),
          store().clicks.insertBatch([click(doomed.rowId, '2026-11-19T08:00:00.000Z'), click(kept.rowId, '2026-11-19T08:00:00.000Z')]),
        ]);
        expect((await store().links.findByCode('race5'))?.clickCount).toBe(1);
        expect((await store().clicks.window([doomed.rowId, kept.rowId], '2026-11-01')).perDay).toEqual([{ linkRowId: kept.rowId, day: '2026-11-19', clicks: 1 }]);
      } finally {
        await second.close();
      }
    });

    if (!traits.sharesRateLimits) {
      // A store one process serves keeps no shared counts: the limiter then counts in memory.
      it('declares no shared rate-limit counts, as one process is the whole service', () => {
        expect(store().rateLimits).toBeUndefined();
      });
    }
    if (traits.sharesRateLimits) {
      const counts = (s: Store) => {
        if (!s.rateLimits) throw new Error('this store has no rateLimits');
        return s.rateLimits;
      };
      const inc = (partition: string, windowStart: number, delta: number) => ({ policy: 'api', partition, windowStart, delta });
      const W = T0.getTime();

      it('adds rate-limit increments to windows both stores share, answering each total in the order asked', async () => {
        const second = await another();
        try {
          expect(await counts(store()).add([inc('k2', W, 1), inc('k1', W, 2)])).toEqual([1, 2]);
          expect(await counts(second.store).add([inc('k1', W, 3), inc('k1', W + 60_000, 1)])).toEqual([5, 1]);
          expect(await counts(store()).add([])).toEqual([]);
        } finally {
          await second.close();
        }
      });

      it('counts every increment once when both stores add to the same windows at once', async () => {
        const second = await another();
        try {
          const rounds = 10;
          for (let i = 0; i < rounds; i += 1) {
            await Promise.all([counts(store()).add([inc('a', W, 1), inc('b', W, 1)]), counts(second.store).add([inc('b', W, 1), inc('a', W, 1)])]);
          }
          expect(await counts(store()).add([inc('a', W, 0), inc('b', W, 0)])).toEqual([2 * rounds, 2 * rounds]);
        } finally {
          await second.close();
        }
      });

      it('forgets windows that started before the pruning time and keeps the rest', async () => {
        await counts(store()).add([inc('k1', W - 60_000, 4), inc('k1', W, 1)]);
        await counts(store()).prune(W);
        expect(await counts(store()).add([inc('k1', W - 60_000, 1), inc('k1', W, 1)])).toEqual([1, 2]);
      });
    }

    if (!traits.announces) {
      // Nothing to announce to: hot-read caches fall back to their TTL and this process's own writes.
      it('declares no change feed, as no other process shares its caches', () => {
        expect(store().subscribe).toBeUndefined();
      });
    }
    if (traits.announces) {
      it('announces a link written by the other store, by its code', async () => {
        await withUsers('u1');
        const second = await another();
        try {
          const change = announced(store(), (c) => c.kind === 'link');
          await second.store.links.insert(newLink('ann1'), T0);
          await expect(change).resolves.toEqual({ kind: 'link', code: 'ann1' });
        } finally {
          await second.close();
        }
      });

      it('announces its own writes made as soon as it has opened', async () => {
        const fresh = await another();
        try {
          const change = announced(fresh.store, (c) => c.kind === 'accounts');
          await fresh.store.users.insert(user('u-first'));
          await expect(change).resolves.toEqual({ kind: 'accounts' });
        } finally {
          await fresh.close();
        }
      });

      it('announces a batch of clicks', async () => {
        await withUsers('u1');
        const link = await insert(newLink('ann2'));
        const change = announced(store(), (c) => c.kind === 'clicks');
        await store().clicks.insertBatch([click(link.rowId, '2026-11-19T08:00:00.000Z')]);
        await expect(change).resolves.toEqual({ kind: 'clicks' });
      });
    }
  });
}
