import type { SessionRecord } from '../../src/domain/repository';
import { StoreConflictError } from '../../src/domain/store-errors';
import { describeTokenFamilies, grant, reading } from './describe-token-families';
import { announcedBy, later, T0, user } from './store-fixtures';
import type { SuiteContext } from './store-fixtures';

const session = (hash: string, userId = 'u1', at = T0): SessionRecord => ({ hash, userId, createdAt: at, lastSeenAt: at });

/** The sign-in part of the store contract: accounts with passwords, web sessions, then token families. */
export function describeCredentials(context: SuiteContext): void {
  const { store, withUsers, another, traits } = context;
  const credentials = () => store().credentials;

  describe('accounts', () => {
    it('creates a user with a password, found by id and by its e-mail for signing in', async () => {
      const ada = { ...user('u-ada', 'Ada'), email: 'ada@example.com', avatarUrl: 'https://img.example/ada.png' };
      expect(await credentials().createAccount(ada, 'hash-1')).toBe(true);
      expect(await store().users.findById('u-ada')).toEqual(ada);
      expect(await credentials().findLogin('ada@example.com')).toEqual({ userId: 'u-ada', passwordHash: 'hash-1' });
      expect(await credentials().passwordOf('u-ada')).toBe('hash-1');
    });

    it('refuses an e-mail already taken in any case with false, writing nothing', async () => {
      await store().users.insert({ ...user('u-bob'), email: 'Bob@Example.com' });
      expect(await credentials().createAccount(user('u-ada'), 'hash-1')).toBe(true);
      expect(await credentials().createAccount({ ...user('u-2'), email: 'U-ADA@example.COM' }, 'hash-2')).toBe(false);
      expect(await credentials().createAccount({ ...user('u-3'), email: 'bob@example.com' }, 'hash-3')).toBe(false);
      expect(await store().users.findById('u-2')).toBeNull();
      expect(await store().users.findById('u-3')).toBeNull();
      expect(await credentials().findLogin('u-ada@example.com')).toEqual({ userId: 'u-ada', passwordHash: 'hash-1' });
      expect(await credentials().findLogin('bob@example.com')).toBeNull();
    });

    it('refuses a taken id with a StoreConflictError, not as a taken e-mail', async () => {
      expect(await credentials().createAccount(user('u1'), 'hash-1')).toBe(true);
      await expect(credentials().createAccount({ ...user('u1'), email: 'other@example.com' }, 'hash-2')).rejects.toBeInstanceOf(StoreConflictError);
      expect(await credentials().findLogin('other@example.com')).toBeNull();
      expect(await credentials().passwordOf('u1')).toBe('hash-1');
    });

    it('gives an e-mail that two stores register at once, in one case or in two, to exactly one of them', async () => {
      const second = await another();
      try {
        for (let round = 0; round < 10; round += 1) {
          const [mine, theirs] = [{ ...user(`u-a${round}`), email: `race${round}@example.com` }, { ...user(`u-b${round}`), email: `${round % 2 ? 'RACE' : 'race'}${round}@example.com` }];
          const created = await Promise.all([credentials().createAccount(mine, 'hash-a'), second.store.credentials.createAccount(theirs, 'hash-b')]);
          expect(created.filter(Boolean)).toHaveLength(1);
          const login = await credentials().findLogin(`race${round}@example.com`);
          expect(login).toEqual(created[0] ? { userId: mine.id, passwordHash: 'hash-a' } : { userId: theirs.id, passwordHash: 'hash-b' });
        }
      } finally {
        await second.close();
      }
    });

    it('finds no login for an unknown e-mail or a user without a password', async () => {
      await withUsers('u1');
      expect(await credentials().findLogin('u1@example.com')).toBeNull();
      expect(await credentials().findLogin('nobody@example.com')).toBeNull();
      expect(await credentials().passwordOf('u1')).toBeNull();
      expect(await credentials().passwordOf('nobody')).toBeNull();
    });

    it('finds the login of an address stored in capitals by its lower-cased form once it has a password', async () => {
      await store().users.insert({ ...user('u1'), email: 'Mixed.Case@Example.com' });
      await credentials().setPassword('u1', 'hash-1', T0);
      expect(await credentials().findLogin('mixed.case@example.com')).toEqual({ userId: 'u1', passwordHash: 'hash-1' });
    });

    it("replaces a password, revoking every session, family and access token of that user and nobody else's", async () => {
      await withUsers('u1', 'u2');
      await credentials().setPassword('u1', 'hash-1', T0);
      for (const s of [session('s1'), session('s2'), session('s-other', 'u2')]) await credentials().insertSession(s);
      await grant(credentials(), 'f1', 'u1');
      await grant(credentials(), 'f2', 'u1');
      await grant(credentials(), 'f-other', 'u2');
      await credentials().setPassword('u1', 'hash-2', later(10));
      expect(await credentials().passwordOf('u1')).toBe('hash-2');
      expect(await credentials().findLogin('u1@example.com')).toEqual({ userId: 'u1', passwordHash: 'hash-2' });
      expect([await credentials().findSession('s1'), await credentials().findSession('s2')]).toEqual([null, null]);
      expect([await credentials().findAccessToken('f1-at1'), await credentials().findAccessToken('f2-at1')]).toEqual([null, null]);
      expect((await reading(credentials(), 'f1-rt1')).family?.revokedAt).toEqual(later(10));
      expect(await credentials().revokeSession('s1', later(11))).toBe(false);
      expect(await credentials().findSession('s-other')).toEqual(session('s-other', 'u2'));
      expect(await credentials().findAccessToken('f-other-at1')).not.toBeNull();
    });
  });

  describe('sessions', () => {
    it('finds an inserted session by its hash, every field as inserted, and nothing for another hash', async () => {
      await withUsers('u1');
      const s = { hash: 'ses-1', userId: 'u1', createdAt: T0, lastSeenAt: later(3) };
      await credentials().insertSession(s);
      expect(await credentials().findSession('ses-1')).toEqual(s);
      expect(await credentials().findSession('ses-2')).toBeNull();
    });

    it('moves the last use on when touched, never back', async () => {
      await withUsers('u1');
      await credentials().insertSession(session('ses-1'));
      await credentials().touchSession('ses-1', later(5));
      expect((await credentials().findSession('ses-1'))?.lastSeenAt).toEqual(later(5));
      await credentials().touchSession('ses-1', later(2));
      expect(await credentials().findSession('ses-1')).toEqual({ ...session('ses-1'), lastSeenAt: later(5) });
    });

    it('revokes a live session once: no longer found, not revived by a touch, false the second time and for an unknown one', async () => {
      await withUsers('u1');
      await credentials().insertSession(session('ses-1'));
      await credentials().insertSession(session('ses-2'));
      expect(await credentials().revokeSession('ses-1', later(1))).toBe(true);
      await credentials().touchSession('ses-1', later(2));
      expect(await credentials().findSession('ses-1')).toBeNull();
      expect(await credentials().revokeSession('ses-1', later(3))).toBe(false);
      expect(await credentials().revokeSession('no-such-session', later(3))).toBe(false);
      expect(await credentials().findSession('ses-2')).toEqual(session('ses-2'));
    });

    it('refuses a session of a user that does not exist with a StoreConflictError', async () => {
      await expect(credentials().insertSession(session('ses-1', 'ghost'))).rejects.toBeInstanceOf(StoreConflictError);
    });
  });

  if (traits.announces) {
    describe('announcing revocations', () => {
      it('announces a revoked session and a changed password to the other store, and nothing for a session it did not revoke', async () => {
        await withUsers('u1');
        await credentials().insertSession(session('ses-1'));
        const second = await another();
        try {
          expect(await announcedBy(second.store, store(), 'u1', () => credentials().revokeSession('ses-1', later(1)))).toEqual([{ kind: 'accounts' }]);
          expect(await announcedBy(second.store, store(), 'u1', () => credentials().revokeSession('ses-1', later(2)))).toEqual([]);
          expect(await announcedBy(second.store, store(), 'u1', () => credentials().setPassword('u1', 'hash-2', later(3)))).toEqual([{ kind: 'accounts' }]);
        } finally {
          await second.close();
        }
      });
    });
  }

  describeTokenFamilies(context);
}
