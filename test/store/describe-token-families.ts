import type { AccessTokenRecord, CredentialRepository, RefreshTokenRecord, RotationStep, TokenFamilyRecord } from '../../src/domain/repository';
import { announcedBy, later, T0 } from './store-fixtures';
import type { SuiteContext } from './store-fixtures';

type View = { token: RefreshTokenRecord | null; family: TokenFamilyRecord | null };

const family = (id: string, userId: string, fields: Partial<TokenFamilyRecord> = {}): TokenFamilyRecord =>
  ({ id, userId, createdAt: T0, lastUsedAt: T0, generation: 1, revokedAt: null, ...fields });
const refresh = (hash: string, familyId: string, generation = 1, issuedAt = T0): RefreshTokenRecord =>
  ({ hash, familyId, generation, salt: `salt-${hash}`, issuedAt, retiredAt: null });
const access = (hash: string, familyId: string, userId: string, expiresAt = later(900_000)): AccessTokenRecord =>
  ({ hash, familyId, userId, expiresAt });

/** Inserts family `id` of `userId` with its refresh token `<id>-rt1` and access token `<id>-at1`. */
export async function grant(credentials: CredentialRepository, id: string, userId: string, fields: Partial<TokenFamilyRecord> = {}): Promise<void> {
  await credentials.insertFamily(family(id, userId, fields), refresh(`${id}-rt1`, id), access(`${id}-at1`, id, userId));
}

/** What a refresh of `hash` decides on, read by a rotation that refuses (and so changes nothing). */
export async function reading(credentials: CredentialRepository, hash: string): Promise<View> {
  let view: View = { token: null, family: null };
  await credentials.rotateRefreshToken(hash, (token, family) => {
    view = { token, family };
    return { kind: 'refuse' };
  }, later(999));
  return view;
}

/** A decision as the domain makes it: rotate the family's current token, refuse anything else; records what it saw. */
const rotating = (tag: string, now: Date, views: View[] = []) => (token: RefreshTokenRecord | null, fam: TokenFamilyRecord | null): RotationStep => {
  views.push({ token, family: fam });
  if (!token || !fam || token.retiredAt || fam.revokedAt || token.generation !== fam.generation) return { kind: 'refuse' };
  const next = token.generation + 1;
  return {
    kind: 'rotate',
    successor: refresh(`${fam.id}-rt${next}-${tag}`, fam.id, next, now),
    access: access(`${fam.id}-at${next}-${tag}`, fam.id, fam.userId, new Date(now.getTime() + 900_000)),
  };
};

/** The refresh-token part of the store contract: families, rotation, replay, reuse and revocation (RFC 9700 §4.14). */
export function describeTokenFamilies({ store, withUsers, another, traits }: SuiteContext): void {
  const credentials = () => store().credentials;
  const rotateStep: RotationStep = { kind: 'rotate', successor: refresh('f1-rt2', 'f1', 2, later(10)), access: access('f1-at2', 'f1', 'u1', later(910_000)) };

  describe('token families', () => {
    it('stores a family with its first refresh and access tokens, each as inserted', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      expect(await credentials().findAccessToken('f1-at1')).toEqual(access('f1-at1', 'f1', 'u1'));
      expect(await reading(credentials(), 'f1-rt1')).toEqual({ token: refresh('f1-rt1', 'f1'), family: family('f1', 'u1') });
      expect(await credentials().findAccessToken('no-such-token')).toBeNull();
    });

    it('finds no access token of a revoked family, though the token itself was never revoked', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1', { revokedAt: later(1) });
      expect(await credentials().findAccessToken('f1-at1')).toBeNull();
    });

    it('rotates: retires the presented token, stores its successor and an access token, and moves the family on', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      expect(await credentials().rotateRefreshToken('f1-rt1', () => rotateStep, later(10))).toEqual(rotateStep);
      expect(await reading(credentials(), 'f1-rt1')).toEqual({
        token: { ...refresh('f1-rt1', 'f1'), retiredAt: later(10) }, family: family('f1', 'u1', { generation: 2, lastUsedAt: later(10) }),
      });
      expect((await reading(credentials(), 'f1-rt2')).token).toEqual(refresh('f1-rt2', 'f1', 2, later(10)));
      expect(await credentials().findAccessToken('f1-at2')).toEqual(access('f1-at2', 'f1', 'u1', later(910_000)));
      expect(await credentials().findAccessToken('f1-at1')).not.toBeNull();
    });

    it('hands decide the state the previous rotations left, generation after generation', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      let current = 'f1-rt1';
      for (let i = 1; i <= 3; i += 1) {
        const step = await credentials().rotateRefreshToken(current, rotating('x', later(i)), later(i));
        if (step.kind !== 'rotate') throw new Error(`rotation ${i} was refused`);
        current = step.successor.hash;
      }
      const views: View[] = [];
      expect(await credentials().rotateRefreshToken('f1-rt1', rotating('y', later(9), views), later(9))).toEqual({ kind: 'refuse' });
      expect(views).toEqual([{ token: { ...refresh('f1-rt1', 'f1'), retiredAt: later(1) }, family: family('f1', 'u1', { generation: 4, lastUsedAt: later(3) }) }]);
      expect((await reading(credentials(), current)).token).toEqual(refresh('f1-rt4-x', 'f1', 4, later(3)));
    });

    it('replays: stores one more access token and notes the use, retiring and revoking nothing', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      await credentials().rotateRefreshToken('f1-rt1', () => rotateStep, later(10));
      const replay: RotationStep = { kind: 'replay', access: access('f1-at3', 'f1', 'u1', later(920_000)) };
      expect(await credentials().rotateRefreshToken('f1-rt1', () => replay, later(20))).toEqual(replay);
      expect(await credentials().findAccessToken('f1-at3')).toEqual(access('f1-at3', 'f1', 'u1', later(920_000)));
      expect(await reading(credentials(), 'f1-rt1')).toEqual({
        token: { ...refresh('f1-rt1', 'f1'), retiredAt: later(10) }, family: family('f1', 'u1', { generation: 2, lastUsedAt: later(20) }),
      });
      expect((await reading(credentials(), 'f1-rt2')).token?.retiredAt).toBeNull();
    });

    it("revokes the family on reuse: none of its access tokens is found any more, other families' are", async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      await grant(credentials(), 'f2', 'u1');
      await credentials().rotateRefreshToken('f1-rt1', () => rotateStep, later(10));
      expect(await credentials().rotateRefreshToken('f1-rt1', () => ({ kind: 'revoke-family' }), later(30))).toEqual({ kind: 'revoke-family' });
      expect([await credentials().findAccessToken('f1-at1'), await credentials().findAccessToken('f1-at2')]).toEqual([null, null]);
      expect((await reading(credentials(), 'f1-rt2')).family?.revokedAt).toEqual(later(30));
      await credentials().rotateRefreshToken('f1-rt2', () => ({ kind: 'revoke-family' }), later(40));
      expect((await reading(credentials(), 'f1-rt2')).family?.revokedAt).toEqual(later(30));
      expect(await credentials().findAccessToken('f2-at1')).not.toBeNull();
    });

    it('changes nothing on a refusal, and asks decide about an unknown token with neither token nor family', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      expect(await credentials().rotateRefreshToken('f1-rt1', () => ({ kind: 'refuse' }), later(5))).toEqual({ kind: 'refuse' });
      expect(await reading(credentials(), 'f1-rt1')).toEqual({ token: refresh('f1-rt1', 'f1'), family: family('f1', 'u1') });
      expect(await credentials().findAccessToken('f1-at1')).not.toBeNull();
      const views: View[] = [];
      expect(await credentials().rotateRefreshToken('no-such-token', rotating('x', later(5), views), later(5))).toEqual({ kind: 'refuse' });
      expect(views).toEqual([{ token: null, family: null }]);
    });

    it('revokes the family of any of its refresh tokens once, false again and for an unknown token (RFC 7009)', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      await grant(credentials(), 'f2', 'u1');
      await credentials().rotateRefreshToken('f1-rt1', () => rotateStep, later(10));
      expect(await credentials().revokeFamilyOf('f1-rt1', later(11))).toBe(true);
      expect(await credentials().revokeFamilyOf('f1-rt2', later(12))).toBe(false);
      expect(await credentials().revokeFamilyOf('no-such-token', later(12))).toBe(false);
      expect([await credentials().findAccessToken('f1-at1'), await credentials().findAccessToken('f1-at2')]).toEqual([null, null]);
      expect((await reading(credentials(), 'f1-rt2')).family?.revokedAt).toEqual(later(11));
      expect(await credentials().findAccessToken('f2-at1')).not.toBeNull();
    });

    it('revokes one access token once, leaving its family and siblings alone, false again and for an unknown one', async () => {
      await withUsers('u1');
      await grant(credentials(), 'f1', 'u1');
      await credentials().rotateRefreshToken('f1-rt1', () => rotateStep, later(10));
      expect(await credentials().revokeAccessToken('f1-at1', later(11))).toBe(true);
      expect(await credentials().revokeAccessToken('f1-at1', later(12))).toBe(false);
      expect(await credentials().revokeAccessToken('no-such-token', later(12))).toBe(false);
      expect(await credentials().findAccessToken('f1-at1')).toBeNull();
      expect(await credentials().findAccessToken('f1-at2')).not.toBeNull();
      expect((await reading(credentials(), 'f1-rt2')).family?.revokedAt).toBeNull();
    });

    it('lets exactly one of two stores racing to rotate one token rotate it, the other deciding on the rotated token', async () => {
      await withUsers('u1');
      const second = await another();
      try {
        for (let round = 0; round < 25; round += 1) {
          const id = `race${round}`;
          await grant(credentials(), id, 'u1');
          const views: Record<'a' | 'b', View[]> = { a: [], b: [] };
          const steps = await Promise.all([
            credentials().rotateRefreshToken(`${id}-rt1`, rotating('a', later(1), views.a), later(1)),
            second.store.credentials.rotateRefreshToken(`${id}-rt1`, rotating('b', later(1), views.b), later(1)),
          ]);
          expect(steps.map((s) => s.kind).sort()).toEqual(['refuse', 'rotate']);
          const [winner, loser] = steps[0]?.kind === 'rotate' ? ['a', 'b'] as const : ['b', 'a'] as const;
          expect(views[loser].at(-1)).toEqual({
            token: { ...refresh(`${id}-rt1`, id), retiredAt: later(1) }, family: family(id, 'u1', { generation: 2, lastUsedAt: later(1) }),
          });
          expect((await reading(credentials(), `${id}-rt2-${winner}`)).token?.generation).toBe(2);
          expect((await reading(credentials(), `${id}-rt2-${loser}`)).token).toBeNull();
        }
      } finally {
        await second.close();
      }
    }, 30_000);

    if (traits.announces) {
      it('announces a revoked family or access token to the other store, never a rotation, a replay or a refusal', async () => {
        await withUsers('u1');
        await grant(credentials(), 'f1', 'u1');
        await grant(credentials(), 'f2', 'u1');
        await grant(credentials(), 'f3', 'u1');
        const second = await another();
        const heard = (action: () => Promise<unknown>) => announcedBy(second.store, store(), 'u1', action);
        try {
          expect(await heard(async () => {
            await credentials().rotateRefreshToken('f1-rt1', () => rotateStep, later(10));
            await credentials().rotateRefreshToken('f1-rt1', () => ({ kind: 'replay', access: access('f1-at3', 'f1', 'u1') }), later(11));
            await credentials().rotateRefreshToken('f1-rt1', () => ({ kind: 'refuse' }), later(12));
            expect(await credentials().revokeAccessToken('no-such-token', later(12))).toBe(false);
            expect(await credentials().revokeFamilyOf('no-such-token', later(12))).toBe(false);
          })).toEqual([]);
          expect(await heard(() => credentials().rotateRefreshToken('f1-rt1', () => ({ kind: 'revoke-family' }), later(20)))).toEqual([{ kind: 'accounts' }]);
          expect(await heard(() => credentials().revokeFamilyOf('f2-rt1', later(21)))).toEqual([{ kind: 'accounts' }]);
          expect(await heard(() => credentials().revokeAccessToken('f3-at1', later(22)))).toEqual([{ kind: 'accounts' }]);
        } finally {
          await second.close();
        }
      });
    }
  });
}
