import type { User } from './types';

/**
 * The credential half of the persistence contract (sessions, token families, passwords): what
 * src/store/ implements beside the rest of ./repository, whose Store exposes it as `credentials`.
 */

/** A web session as stored: found by the SHA-256 of its id (the cookie's value), never the id itself. */
export interface SessionRecord {
  hash: string;
  userId: string;
  createdAt: Date;
  /** Last use as recorded; the idle timeout slides from it. */
  lastSeenAt: Date;
}

/** A family of refresh tokens: every rotation adds a generation; revoking it ends all of them and their access tokens. */
export interface TokenFamilyRecord {
  id: string;
  userId: string;
  createdAt: Date;
  /** Last refresh; the family's idle timeout slides from it. */
  lastUsedAt: Date;
  /** Generation of the family's current (not yet retired) refresh token. */
  generation: number;
  revokedAt: Date | null;
}

/** A refresh token as stored, by the SHA-256 of its value. */
export interface RefreshTokenRecord {
  hash: string;
  familyId: string;
  generation: number;
  /** Random, per token: its successor is derived from the token and this, so a grace replay can answer it again. */
  salt: string;
  issuedAt: Date;
  /** Set by the rotation that issued its successor. */
  retiredAt: Date | null;
}

/** An access token as stored, by the SHA-256 of its value. */
export interface AccessTokenRecord {
  hash: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
}

/**
 * What a refresh does, decided by the domain (src/domain/token-families.ts) from the presented
 * token and its family, and applied by the store in the same atomic step.
 */
export type RotationStep =
  /** Retire the presented token, store its successor and an access token; the family moves to the successor's generation. */
  | { kind: 'rotate'; successor: RefreshTokenRecord; access: AccessTokenRecord }
  /** The grace replay of the token retired by the latest rotation: store one more access token, revoke nothing. */
  | { kind: 'replay'; access: AccessTokenRecord }
  /** Reuse of a retired token: revoke the family (its refresh and access tokens). */
  | { kind: 'revoke-family' }
  /** Unknown, expired or already revoked: change nothing. */
  | { kind: 'refuse' };

/** Passwords, web sessions and token families: everything a sign-in writes. */
export interface CredentialRepository {
  /** The user and password hash of an e-mail address (given lower-cased); null when none has a password. */
  findLogin(email: string): Promise<{ userId: string; passwordHash: string } | null>;
  /** The password hash of a user; null when the user has none. */
  passwordOf(userId: string): Promise<string | null>;
  /** Inserts the user with a password; false, writing nothing, when its e-mail is taken (compared case-insensitively). */
  createAccount(user: User, passwordHash: string): Promise<boolean>;
  /** Replaces a user's password and revokes every session and token family of theirs, atomically. Announced. */
  setPassword(userId: string, passwordHash: string, now: Date): Promise<void>;

  insertSession(session: SessionRecord): Promise<void>;
  /** The session when it exists and is not revoked; expiry is the domain's to judge. */
  findSession(hash: string): Promise<SessionRecord | null>;
  /** Records a later use of a session (never moves lastSeenAt back). */
  touchSession(hash: string, at: Date): Promise<void>;
  /** Revokes a session; false when no such live session exists. Announced. */
  revokeSession(hash: string, now: Date): Promise<boolean>;

  /** Stores a new family with its first refresh token (generation 1) and first access token. */
  insertFamily(family: TokenFamilyRecord, refresh: RefreshTokenRecord, access: AccessTokenRecord): Promise<void>;
  /** The access token when it exists and neither it nor its family is revoked; expiry is the domain's to judge. */
  findAccessToken(hash: string): Promise<AccessTokenRecord | null>;
  /**
   * One atomic step, serialised per family across every process on the store: reads the presented
   * refresh token and its family (null when unknown), asks `decide`, applies the step it returns
   * and resolves with it. Two processes racing on one token: one rotates, the other decides on the
   * rotated state. A `revoke-family` step is announced.
   */
  rotateRefreshToken(hash: string, decide: (token: RefreshTokenRecord | null, family: TokenFamilyRecord | null) => RotationStep, now: Date): Promise<RotationStep>;
  /** Revokes the family of a refresh token (RFC 7009); false when the token is unknown or already revoked. Announced. */
  revokeFamilyOf(refreshHash: string, now: Date): Promise<boolean>;
  /** Revokes one access token (RFC 7009); false when unknown or already revoked. Announced. */
  revokeAccessToken(hash: string, now: Date): Promise<boolean>;
}
