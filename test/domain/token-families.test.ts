import type { AccessTokenRecord, RefreshTokenRecord, TokenFamilyRecord } from '../../src/domain/repository';
import { decideRefresh } from '../../src/domain/token-families';
import type { TokenLifetimes } from '../../src/domain/token-families';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const SECOND = 1000;
const LIFETIMES: TokenLifetimes = { accessMs: 900 * SECOND, refreshIdleMs: 3600 * SECOND, refreshAbsoluteMs: 4 * 3600 * SECOND, graceMs: 30 * SECOND };

const family = (fields: Partial<TokenFamilyRecord> = {}): TokenFamilyRecord =>
  ({ id: 'fam_1', userId: 'usr_ada', createdAt: new Date(T0), lastUsedAt: new Date(T0), generation: 1, revokedAt: null, ...fields });
const token = (generation: number, retiredAt: number | null = null): RefreshTokenRecord =>
  ({ hash: `rt${generation}`, familyId: 'fam_1', generation, salt: `salt${generation}`, issuedAt: new Date(T0), retiredAt: retiredAt === null ? null : new Date(retiredAt) });

const access: AccessTokenRecord = { hash: 'at-new', familyId: 'fam_1', userId: 'usr_ada', expiresAt: new Date(T0 + 900 * SECOND) };
const successor = token(99);
/** The issue callback decideRefresh is given; records what it was asked to issue for. */
const issuer = () => jest.fn((_from: RefreshTokenRecord) => ({ successor, access }));

describe('decideRefresh', () => {
  it('rotates the current generation, issuing from the presented token', () => {
    const issue = issuer();
    const presented = token(3);
    expect(decideRefresh(presented, family({ generation: 3 }), T0 + 10 * SECOND, LIFETIMES, issue)).toEqual({ kind: 'rotate', successor, access });
    expect(issue).toHaveBeenCalledWith(presented);
  });

  it.each([
    ['an unknown token', null, family()],
    ['a token without a family', token(1), null],
    ['a token of a revoked family', token(1), family({ revokedAt: new Date(T0) })],
  ])('refuses %s without issuing anything', (_name, presented, fam) => {
    const issue = issuer();
    expect(decideRefresh(presented, fam, T0, LIFETIMES, issue)).toEqual({ kind: 'refuse' });
    expect(issue).not.toHaveBeenCalled();
  });

  it('refuses a family idle for refreshIdleMs, and rotates one idle a millisecond less', () => {
    const fam = family({ lastUsedAt: new Date(T0 + 60 * SECOND) });
    const idleEnd = T0 + 60 * SECOND + LIFETIMES.refreshIdleMs;
    expect(decideRefresh(token(1), fam, idleEnd - 1, LIFETIMES, issuer()).kind).toBe('rotate');
    expect(decideRefresh(token(1), fam, idleEnd, LIFETIMES, issuer())).toEqual({ kind: 'refuse' });
  });

  it('refuses a family at its absolute end though it was used a moment ago', () => {
    const end = T0 + LIFETIMES.refreshAbsoluteMs;
    const fam = family({ lastUsedAt: new Date(end - SECOND) });
    expect(decideRefresh(token(1), fam, end - 1, LIFETIMES, issuer()).kind).toBe('rotate');
    expect(decideRefresh(token(1), fam, end, LIFETIMES, issuer())).toEqual({ kind: 'refuse' });
  });

  it('refuses a retired token of an expired family rather than revoking it', () => {
    const retiredAt = T0 + LIFETIMES.refreshAbsoluteMs - SECOND;
    const fam = family({ generation: 2, lastUsedAt: new Date(retiredAt) });
    expect(decideRefresh(token(1, retiredAt), fam, T0 + LIFETIMES.refreshAbsoluteMs, LIFETIMES, issuer())).toEqual({ kind: 'refuse' });
  });

  it('replays the token retired by the latest rotation within the grace: a new access token, no successor', () => {
    const issue = issuer();
    const retiredAt = T0 + 60 * SECOND;
    const presented = token(1, retiredAt);
    const step = decideRefresh(presented, family({ generation: 2, lastUsedAt: new Date(retiredAt) }), retiredAt + 10 * SECOND, LIFETIMES, issue);
    expect(step).toEqual({ kind: 'replay', access });
    expect(issue).toHaveBeenCalledWith(presented);
  });

  it('replays up to the end of the grace, and treats a millisecond later as reuse', () => {
    const retiredAt = T0 + 60 * SECOND;
    const fam = family({ generation: 2, lastUsedAt: new Date(retiredAt) });
    expect(decideRefresh(token(1, retiredAt), fam, retiredAt + LIFETIMES.graceMs, LIFETIMES, issuer()).kind).toBe('replay');
    expect(decideRefresh(token(1, retiredAt), fam, retiredAt + LIFETIMES.graceMs + 1, LIFETIMES, issuer())).toEqual({ kind: 'revoke-family' });
  });

  it('revokes the family for a token two generations old, even within the grace (django-oauth-toolkit #1617)', () => {
    const issue = issuer();
    const retiredAt = T0 + 60 * SECOND;
    const fam = family({ generation: 3, lastUsedAt: new Date(retiredAt + SECOND) });
    expect(decideRefresh(token(1, retiredAt), fam, retiredAt + 2 * SECOND, LIFETIMES, issue)).toEqual({ kind: 'revoke-family' });
    expect(issue).not.toHaveBeenCalled();
  });

  it('revokes the family for an unretired token whose generation is behind the family\'s', () => {
    expect(decideRefresh(token(1), family({ generation: 2 }), T0 + SECOND, LIFETIMES, issuer())).toEqual({ kind: 'revoke-family' });
  });

  it('gives no grace at all when graceMs is 0', () => {
    const retiredAt = T0 + 60 * SECOND;
    const fam = family({ generation: 2, lastUsedAt: new Date(retiredAt) });
    const strict = { ...LIFETIMES, graceMs: 0 };
    expect(decideRefresh(token(1, retiredAt), fam, retiredAt + 1, strict, issuer())).toEqual({ kind: 'revoke-family' });
  });
});
