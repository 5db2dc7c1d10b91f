import type { VendorType } from '../../representations/media-types';
import type { KeyKind, Scope } from './types';

/**
 * The API-key half of the persistence contract (./repository's Store exposes it as `keys`):
 * lookup by hash, listing, revocation, pins, and the usage the key-usage recorder flushes.
 */

/** An API key as listed to an operator: never its secret or hash. */
export interface KeyInfo {
  id: string;
  userId: string;
  userName: string;
  kind: KeyKind;
  label: string;
  prefix: string | null;
  /** null: every scope its kind allows. */
  scopes: Scope[] | null;
  /** The frozen contract a partner key is pinned to; null: the default (partner.v3). */
  pin: VendorType | null;
  createdAt: Date;
  /** When it was last presented, as recorded (off the hot path, so up to a flush late); null: never. */
  lastUsedAt: Date | null;
  /** When it stops working though not revoked (the old key of a rotation); null: never. */
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** An unrevoked key found by its hash; the caller decides whether `expiresAt` has passed. */
export interface FoundKey {
  keyId: string;
  userId: string;
  kind: KeyKind;
  scopes: Scope[] | null;
  /** See KeyInfo.pin. */
  pin: VendorType | null;
  expiresAt: Date | null;
}

/** A key's latest use noted since the last flush. */
export interface KeyUse {
  id: string;
  at: Date;
}

/** Answers one key got in one representation on one UTC day, counted since the last flush. */
export interface AnswerCount {
  keyId: string;
  /** The representation's short name (`partner.v3`). */
  representation: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  count: number;
}

/** Answers per key and representation over a window, summed by the database. */
export interface KeyUsageTotal {
  keyId: string;
  representation: string;
  answers: number;
}

/** API keys, looked up by the hash of the presented secret. */
export interface KeyRepository {
  findByHash(hash: string): Promise<FoundKey | null>;
  insert(key: { id: string; hash: string; userId: string; kind: KeyKind; label: string; prefix?: string; scopes?: Scope[] | null; pin?: VendorType | null; expiresAt?: Date | null }, now: Date): Promise<void>;
  list(): Promise<KeyInfo[]>;
  /** Marks a key revoked; false when no such active key exists. Announced. */
  revoke(id: string, now: Date): Promise<boolean>;
  /** Sets when an active, unexpiring key stops working (rotation overlap); false when no such key exists. Announced. */
  expire(id: string, at: Date): Promise<boolean>;
  /** Pins an unrevoked partner key to a contract (null: back to the default); false when there is no such key. Announced. */
  setPin(id: string, pin: VendorType | null): Promise<boolean>;
  /**
   * Writes one flush in one transaction: last uses (a later time never goes back to an earlier
   * one) and answer counts added to the stored ones (`count + delta`, so every process's flush
   * adds to the same rows); rows of days before `forgetBefore` are dropped. Unknown ids are ignored.
   */
  recordUse(uses: KeyUse[], counts?: { answers: AnswerCount[]; forgetBefore?: string }): Promise<void>;
  /** Answers per key and representation from `fromDay` (inclusive, `YYYY-MM-DD`) on; ordered by key id, then representation. */
  usage(fromDay: string): Promise<KeyUsageTotal[]>;
}
