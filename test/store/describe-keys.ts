import type { KeyInfo } from '../../src/domain/repository';
import { StoreConflictError } from '../../src/domain/store-errors';
import { describeKeyPinsAndUsage } from './describe-key-usage';
import { announcedBy, later, T0, user } from './store-fixtures';
import type { SuiteContext } from './store-fixtures';

/** The API-key part of the store contract: lookup by hash, scopes, expiry, last use, revocation; pins and usage counts. */
export function describeKeys(ctx: SuiteContext): void {
  const { store, withUsers, another, traits } = ctx;
  const listed = (fields: Partial<KeyInfo> & Pick<KeyInfo, 'id' | 'kind' | 'label'>): KeyInfo => ({
    userId: 'u1', userName: 'Ada', prefix: null, scopes: null, pin: null, createdAt: T0, lastUsedAt: null, expiresAt: null, revokedAt: null, ...fields,
  });
  const lastUsed = async (id: string) => (await store().keys.list()).find((k) => k.id === id)?.lastUsedAt;

  describe('keys', () => {
    it('finds an active key by the hash of its secret, unscoped and unexpiring, and nothing for another hash', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'hash-1', userId: 'u1', kind: 'partner', label: 'CI' }, T0);
      expect(await store().keys.findByHash('hash-1')).toEqual({ keyId: 'k1', userId: 'u1', kind: 'partner', scopes: null, pin: null, expiresAt: null });
      expect(await store().keys.findByHash('hash-2')).toBeNull();
    });

    it('keeps the scopes and expiry a key was inserted with, an empty scope list apart from none', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'user', label: 'ro', scopes: ['links:read', 'stats:read'], expiresAt: later(100) }, T0);
      await store().keys.insert({ id: 'k2', hash: 'h2', userId: 'u1', kind: 'user', label: 'none', scopes: [], expiresAt: null }, T0);
      expect(await store().keys.findByHash('h1')).toEqual({ keyId: 'k1', userId: 'u1', kind: 'user', scopes: ['links:read', 'stats:read'], pin: null, expiresAt: later(100) });
      expect(await store().keys.findByHash('h2')).toMatchObject({ keyId: 'k2', scopes: [], expiresAt: null });
    });

    it("lists keys oldest first, then by id byte for byte, with their owner's name, prefix, scopes, last use and expiry, never a hash", async () => {
      await store().users.insert(user('u1', 'Ada'));
      await store().keys.insert({ id: 'k-new', hash: 'h3', userId: 'u1', kind: 'user', label: 'laptop', prefix: 'fct_ab', scopes: ['links:write'] }, later(1));
      await store().keys.insert({ id: 'ka', hash: 'h1', userId: 'u1', kind: 'partner', label: 'CI', expiresAt: later(50) }, T0);
      await store().keys.insert({ id: 'Kb', hash: 'h2', userId: 'u1', kind: 'user', label: 'phone' }, T0);
      await store().keys.recordUse([{ id: 'Kb', at: later(7) }]);
      expect(await store().keys.list()).toEqual([
        listed({ id: 'Kb', kind: 'user', label: 'phone', lastUsedAt: later(7) }),
        listed({ id: 'ka', kind: 'partner', label: 'CI', expiresAt: later(50) }),
        listed({ id: 'k-new', kind: 'user', label: 'laptop', prefix: 'fct_ab', scopes: ['links:write'], createdAt: later(1) }),
      ]);
    });

    it('no longer finds a revoked key, lists when it was revoked and does not revoke it twice', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'hash-1', userId: 'u1', kind: 'user', label: 'laptop' }, T0);
      expect(await store().keys.revoke('k1', later(5))).toBe(true);
      expect(await store().keys.findByHash('hash-1')).toBeNull();
      expect((await store().keys.list())[0]?.revokedAt).toEqual(later(5));
      expect(await store().keys.revoke('k1', later(9))).toBe(false);
      expect((await store().keys.list())[0]?.revokedAt).toEqual(later(5));
    });

    it('answers false when revoking a key that does not exist', async () => {
      expect(await store().keys.revoke('no-such-key', T0)).toBe(false);
    });

    it('refuses a second key with the same hash with a StoreConflictError', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'same', userId: 'u1', kind: 'user', label: 'a' }, T0);
      await expect(store().keys.insert({ id: 'k2', hash: 'same', userId: 'u1', kind: 'user', label: 'b' }, T0)).rejects.toBeInstanceOf(StoreConflictError);
    });

    it('sets when an unexpiring key stops working and still finds it with that time, the domain judging it', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'user', label: 'old' }, T0);
      expect(await store().keys.expire('k1', later(86_400_000))).toBe(true);
      expect(await store().keys.findByHash('h1')).toMatchObject({ keyId: 'k1', expiresAt: later(86_400_000) });
      expect(await store().keys.expire('k1', T0)).toBe(true);
      expect(await store().keys.findByHash('h1')).toMatchObject({ keyId: 'k1', expiresAt: T0 });
    });

    it('never moves an expiry later, and expires no revoked or unknown key', async () => {
      await withUsers('u1');
      await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'user', label: 'a', expiresAt: later(10) }, T0);
      await store().keys.insert({ id: 'k2', hash: 'h2', userId: 'u1', kind: 'user', label: 'b' }, T0);
      expect(await store().keys.expire('k1', later(20))).toBe(false);
      expect(await store().keys.expire('k1', later(10))).toBe(false);
      expect((await store().keys.findByHash('h1'))?.expiresAt).toEqual(later(10));
      await store().keys.revoke('k2', later(1));
      expect(await store().keys.expire('k2', later(5))).toBe(false);
      expect((await store().keys.list()).find((k) => k.id === 'k2')?.expiresAt).toBeNull();
      expect(await store().keys.expire('no-such-key', later(5))).toBe(false);
    });

    it('records the last use of each key, never moving it back, the latest of a batch winning and unknown ids ignored', async () => {
      await withUsers('u1');
      for (const id of ['k1', 'k2', 'k3']) await store().keys.insert({ id, hash: `h-${id}`, userId: 'u1', kind: 'user', label: id }, T0);
      await store().keys.recordUse([{ id: 'k1', at: later(5) }, { id: 'k2', at: later(3) }, { id: 'ghost', at: later(1) }]);
      expect([await lastUsed('k1'), await lastUsed('k2'), await lastUsed('k3')]).toEqual([later(5), later(3), null]);
      await store().keys.recordUse([{ id: 'k1', at: later(2) }, { id: 'k2', at: later(9) }, { id: 'k2', at: later(4) }]);
      expect([await lastUsed('k1'), await lastUsed('k2')]).toEqual([later(5), later(9)]);
      await store().keys.recordUse([]);
      expect(await lastUsed('k1')).toEqual(later(5));
    });

    if (traits.announces) {
      it('announces a key revoked or expired to the other store, and nothing for a key it did not change', async () => {
        await withUsers('u1');
        await store().keys.insert({ id: 'k1', hash: 'h1', userId: 'u1', kind: 'user', label: 'a' }, T0);
        await store().keys.insert({ id: 'k2', hash: 'h2', userId: 'u1', kind: 'user', label: 'b' }, T0);
        const second = await another();
        try {
          expect(await announcedBy(second.store, store(), 'u1', () => store().keys.expire('k1', later(10)))).toEqual([{ kind: 'accounts' }]);
          expect(await announcedBy(second.store, store(), 'u1', () => store().keys.revoke('k2', later(1)))).toEqual([{ kind: 'accounts' }]);
          expect(await announcedBy(second.store, store(), 'u1', async () => {
            expect(await store().keys.expire('k1', later(20))).toBe(false);
            expect(await store().keys.revoke('k2', later(2))).toBe(false);
            await store().keys.recordUse([{ id: 'k1', at: later(3) }]);
          })).toEqual([]);
        } finally {
          await second.close();
        }
      });
    }
  });
  describeKeyPinsAndUsage(ctx);
}
