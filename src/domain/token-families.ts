import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { AccessTokenRecord, CredentialRepository, RefreshTokenRecord, RotationStep, TokenFamilyRecord } from './repository';
import { checksumHolds, deriveSecret, generateSecret, hashSecret, prefixOf } from './secrets';

/** Prefixes of the mobile tokens: an access token is a bearer credential, a refresh token only refreshes. */
export const ACCESS_PREFIX = 'fct_at_';
export const REFRESH_PREFIX = 'fct_rt_';
/** How long an access token read from the store is trusted here; revocations announced end it sooner. */
const REMEMBER_MS = 60_000;

/** Lifetimes of access tokens and of refresh-token families, and the reuse grace. */
export interface TokenLifetimes {
  accessMs: number;
  refreshIdleMs: number;
  refreshAbsoluteMs: number;
  /** RFC 9700 §4.14.2 leaves room for a grace: the token retired by the latest rotation may come again within it. */
  graceMs: number;
}

/** What a sign-in or a refresh answers (RFC 6749 §5.1). */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

/** Mobile tokens: short access tokens and rotating refresh tokens with reuse detection. */
export interface TokenService {
  /** A new family for a signed-in user: its first refresh token and an access token. */
  issue(userId: string): Promise<IssuedTokens>;
  /** Rotates a refresh token (RFC 6749 §6, RFC 9700 §4.14); null is `invalid_grant`. */
  refresh(presented: string): Promise<IssuedTokens | null>;
  /** The user and family of a live access token, or null; at once when remembered, else after one store read. */
  authenticate(accessToken: string): AccessTokenRecord | null | Promise<AccessTokenRecord | null>;
  /** Revokes an access token, or a refresh token's whole family (RFC 7009); unknown tokens are no error. */
  revoke(token: string): Promise<void>;
  /** Forgets every remembered access token: one was revoked somewhere. */
  forget(): void;
}

/** A minted token of this kind with a checksum that holds: anything else costs no store read. */
const minted = (token: string, prefix: string) => prefixOf(token) === prefix && checksumHolds(token);

/**
 * What a presented refresh token does, given it and its family as the store holds them now.
 * Only the current generation rotates; the one retired by the latest rotation, again within the
 * grace, gets the same successor (a retry after a lost answer); any other retired one is reuse.
 */
export function decideRefresh(token: RefreshTokenRecord | null, family: TokenFamilyRecord | null, at: number, lifetimes: TokenLifetimes, issue: (token: RefreshTokenRecord) => { successor: RefreshTokenRecord; access: AccessTokenRecord }): RotationStep {
  if (!token || !family || family.revokedAt !== null) return { kind: 'refuse' };
  if (at >= family.createdAt.getTime() + lifetimes.refreshAbsoluteMs || at >= family.lastUsedAt.getTime() + lifetimes.refreshIdleMs) return { kind: 'refuse' };
  if (token.retiredAt === null && token.generation === family.generation) return { kind: 'rotate', ...issue(token) };
  // django-oauth-toolkit #1617: a grace for every retired generation lets a stolen old token in. Only the latest.
  const latestRetired = token.retiredAt !== null && token.generation === family.generation - 1;
  if (latestRetired && at - token.retiredAt!.getTime() <= lifetimes.graceMs) return { kind: 'replay', access: issue(token).access };
  // RFC 9700 §4.14.2: a retired refresh token presented again is reuse; the whole family goes.
  return { kind: 'revoke-family' };
}

/** Builds the token service over the credential repository. */
export function createTokenService(deps: { credentials: CredentialRepository; lifetimes: TokenLifetimes; now: () => Date }): TokenService {
  const { credentials, lifetimes, now } = deps;
  const known = new LRUCache<string, AccessTokenRecord>({ max: 10_000, ttl: REMEMBER_MS });
  let forgotten = 0;

  function newAccess(familyId: string, userId: string, at: number): { token: string; record: AccessTokenRecord } {
    const token = generateSecret(ACCESS_PREFIX);
    return { token, record: { hash: hashSecret(token), familyId, userId, expiresAt: new Date(at + lifetimes.accessMs) } };
  }
  const answer = (accessToken: string, refreshToken: string): IssuedTokens => ({ accessToken, refreshToken, expiresInSeconds: Math.round(lifetimes.accessMs / 1000) });

  return {
    async issue(userId) {
      const at = now();
      const family: TokenFamilyRecord = { id: `fam_${randomBytes(9).toString('hex')}`, userId, createdAt: at, lastUsedAt: at, generation: 1, revokedAt: null };
      const refreshToken = generateSecret(REFRESH_PREFIX);
      const refresh: RefreshTokenRecord = { hash: hashSecret(refreshToken), familyId: family.id, generation: 1, salt: randomBytes(16).toString('hex'), issuedAt: at, retiredAt: null };
      const access = newAccess(family.id, userId, at.getTime());
      await credentials.insertFamily(family, refresh, access.record);
      return answer(access.token, refreshToken);
    },
    async refresh(presented) {
      if (!minted(presented, REFRESH_PREFIX)) return null;
      const at = now();
      // The successor is derived from the presented token and its salt: a grace replay answers the same one again.
      const successorOf = (token: RefreshTokenRecord) => deriveSecret(REFRESH_PREFIX, presented, token.salt);
      let issued: { access: { token: string; record: AccessTokenRecord }; refreshToken: string } | undefined;
      const step = await credentials.rotateRefreshToken(hashSecret(presented), (token, family) => decideRefresh(token, family, at.getTime(), lifetimes, (current) => {
        const access = newAccess(current.familyId, family!.userId, at.getTime());
        const refreshToken = successorOf(current);
        issued = { access, refreshToken };
        const successor: RefreshTokenRecord = { hash: hashSecret(refreshToken), familyId: current.familyId, generation: current.generation + 1, salt: randomBytes(16).toString('hex'), issuedAt: at, retiredAt: null };
        return { successor, access: access.record };
      }), at);
      if (step.kind === 'revoke-family') known.clear();
      if ((step.kind !== 'rotate' && step.kind !== 'replay') || !issued) return null;
      // decide may have run more than once (a retried transaction): answer what the applied step stored.
      if (step.access.hash !== issued.access.record.hash) return null;
      return answer(issued.access.token, issued.refreshToken);
    },
    authenticate(accessToken) {
      const live = (record: AccessTokenRecord | null | undefined) => (record && now().getTime() < record.expiresAt.getTime() ? record : null);
      // Keyed by the token itself: a remembered token costs a map lookup, no hash and no checksum.
      const hit = known.get(accessToken);
      if (hit) return live(hit);
      if (!minted(accessToken, ACCESS_PREFIX)) return null;
      const epoch = forgotten;
      return credentials.findAccessToken(hashSecret(accessToken)).then((record) => {
        if (record && epoch === forgotten) known.set(accessToken, record);
        return live(record);
      });
    },
    async revoke(token) {
      const at = now();
      if (minted(token, ACCESS_PREFIX)) {
        known.delete(token);
        await credentials.revokeAccessToken(hashSecret(token), at);
      } else if (minted(token, REFRESH_PREFIX)) {
        await credentials.revokeFamilyOf(hashSecret(token), at);
        known.clear();
      }
    },
    forget() {
      forgotten += 1;
      known.clear();
    },
  };
}
