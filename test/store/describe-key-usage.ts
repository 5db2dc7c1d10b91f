import { PARTNER_V3, PARTNER_V4 } from '../../representations/media-types';
import type { AnswerCount } from '../../src/domain/repository';
import { announcedBy, later, T0 } from './store-fixtures';
import type { SuiteContext } from './store-fixtures';

const answer = (keyId: string, representation: string, day: string, count: number): AnswerCount => ({ keyId, representation, day, count });

/** The store contract of key pins (set, read on lookup and listing) and of answer counts per key, representation and day. */
export function describeKeyPinsAndUsage({ store, withUsers, another, traits }: SuiteContext): void {
  const pinOf = async (id: string) => (await store().keys.list()).find((k) => k.id === id)?.pin;

  describe('key pins', () => {
    it('reads a partner key as unpinned until pinned, then with its pin on lookup and listing, and unpinned again', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'partner', label: 'CI' }, T0);
      expect(await store().keys.findByHash('h1')).toMatchObject({ keyId: 'k1', pin: null });
      expect(await store().keys.setPin('k1', PARTNER_V4)).toBe(true);
      expect(await store().keys.findByHash('h1')).toMatchObject({ keyId: 'k1', pin: PARTNER_V4 });
      expect(await pinOf('k1')).toBe(PARTNER_V4);
      expect(await store().keys.setPin('k1', PARTNER_V3)).toBe(true);
      expect(await store().keys.findByHash('h1')).toMatchObject({ pin: PARTNER_V3 });
      expect(await store().keys.setPin('k1', null)).toBe(true);
      expect(await store().keys.findByHash('h1')).toMatchObject({ pin: null });
      expect(await pinOf('k1')).toBeNull();
    });

    it('keeps the pin a key was inserted with (a rotation carries it over)', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'partner', label: 'new', pin: PARTNER_V4 }, T0);
      expect(await store().keys.findByHash('h1')).toMatchObject({ pin: PARTNER_V4 });
    });

    it('pins no user key, revoked key or unknown key', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'ku', hash: 'hu', userId: 'u1', kind: 'user', label: 'laptop' }, T0);
      await store().keys.insert({ id: 'kr', hash: 'hr', userId: 'u1', kind: 'partner', label: 'gone' }, T0);
      await store().keys.revoke('kr', later(1));
      expect(await store().keys.setPin('ku', PARTNER_V4)).toBe(false);
      expect(await store().keys.setPin('kr', PARTNER_V4)).toBe(false);
      expect(await store().keys.setPin('ghost', PARTNER_V4)).toBe(false);
      expect([await pinOf('ku'), await pinOf('kr')]).toEqual([null, null]);
    });

    if (traits.announces) {
      it('announces a pin change to the other store, as a revocation, and nothing for a pin it did not set', async () => {
        await withUsers('u1');
        await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'partner', label: 'CI' }, T0);
        await store().keys.insert({ id: 'ku', hash: 'hu', userId: 'u1', kind: 'user', label: 'laptop' }, T0);
        const second = await another();
        try {
          expect(await announcedBy(second.store, store(), 'u1', () => store().keys.setPin('k1', PARTNER_V4))).toEqual([{ kind: 'accounts' }]);
          expect(await announcedBy(second.store, store(), 'u1', () => store().keys.setPin('ku', PARTNER_V4))).toEqual([]);
          expect(await second.store.keys.findByHash('h1')).toMatchObject({ pin: PARTNER_V4 });
        } finally {
          await second.close();
        }
      });
    }
  });

  describe('key usage counts', () => {
    const keysOf = async (...ids: string[]) => {
      await withUsers('u1');
      for (const id of ids) await store().keys.insert({ id, hash: `h-${id}`, userId: 'u1', kind: 'partner', label: id }, T0);
    };

    it('sums answers per key and representation from a day on, ordered by key id byte for byte, then representation', async () => {
      await keysOf('ka', 'Kb');
      await store().keys.recordUse([], { answers: [
        answer('ka', 'partner.v3', '2026-11-18', 4), answer('ka', 'partner.v3', '2026-11-19', 2), answer('ka', 'partner.v4', '2026-11-20', 1),
        answer('Kb', 'full', '2026-11-20', 5), answer('ka', 'partner.v3', '2026-11-17', 100),
      ] });
      expect(await store().keys.usage('2026-11-18')).toEqual([
        { keyId: 'Kb', representation: 'full', answers: 5 },
        { keyId: 'ka', representation: 'partner.v3', answers: 6 },
        { keyId: 'ka', representation: 'partner.v4', answers: 1 },
      ]);
      expect(await store().keys.usage('2026-11-21')).toEqual([]);
    });

    it('adds each flush to what is stored, from this store and another on the same database alike, never overwriting', async () => {
      await keysOf('k1');
      const second = await another();
      try {
        await store().keys.recordUse([{ id: 'k1', at: later(1) }], { answers: [answer('k1', 'partner.v3', '2026-11-20', 2)] });
        await second.store.keys.recordUse([{ id: 'k1', at: later(2) }], { answers: [answer('k1', 'partner.v3', '2026-11-20', 1)] });
        await store().keys.recordUse([], { answers: [answer('k1', 'partner.v3', '2026-11-20', 3), answer('k1', 'partner.v3', '2026-11-20', 1)] });
      } finally {
        await second.close();
      }
      expect(await store().keys.usage('2026-11-20')).toEqual([{ keyId: 'k1', representation: 'partner.v3', answers: 7 }]);
      expect((await store().keys.list())[0]?.lastUsedAt).toEqual(later(2));
    });

    it('ignores counts of unknown keys and writes the rest of the flush', async () => {
      await keysOf('k1');
      await store().keys.recordUse([{ id: 'ghost', at: later(1) }], { answers: [answer('ghost', 'full', '2026-11-20', 9), answer('k1', 'full', '2026-11-20', 1)] });
      expect(await store().keys.usage('2026-11-01')).toEqual([{ keyId: 'k1', representation: 'full', answers: 1 }]);
    });

    it('forgets the days before forgetBefore and keeps that day and later ones', async () => {
      await keysOf('k1');
      await store().keys.recordUse([], { answers: [answer('k1', 'full', '2026-08-21', 1), answer('k1', 'full', '2026-08-22', 2), answer('k1', 'full', '2026-11-20', 4)] });
      await store().keys.recordUse([], { answers: [], forgetBefore: '2026-08-22' });
      expect(await store().keys.usage('2026-01-01')).toEqual([{ keyId: 'k1', representation: 'full', answers: 6 }]);
    });
  });
}
