import type { AccessTokenRecord, FoundKey, KeyInfo, RefreshTokenRecord, SessionRecord, TokenFamilyRecord } from '../domain/repository';
import { pinFromName } from '../domain/keys';
import type { KeyKind, Link, Scope, User } from '../domain/types';

// Both stores share one schema (column for column; times in epoch milliseconds, tags as JSON text),
// so a row reads into domain data the same way from either driver.

/** The tables requests read: readiness reads a row of each, in either store. */
export const READ_TABLES = ['users', 'api_keys', 'links', 'click_daily', 'teams', 'sessions', 'access_tokens'] as const;

/** A row of `links`. */
export interface LinkRow {
  row_id: number;
  code: string;
  owner_id: string;
  url: string;
  title: string | null;
  tags: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  version: number;
  click_count: number;
}

/** A `links` row as a Link. */
export function toLink(row: LinkRow): Link {
  return {
    rowId: row.row_id,
    code: row.code,
    ownerId: row.owner_id,
    url: row.url,
    title: row.title,
    tags: JSON.parse(row.tags) as string[],
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    version: row.version,
    clickCount: row.click_count,
  };
}

/** A row of `users`. */
export interface UserRow {
  id: string;
  name: string;
  email: string;
  avatar_url: string | null;
  created_at: number;
}

/** A `users` row as a User. */
export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, email: row.email, avatarUrl: row.avatar_url, createdAt: new Date(row.created_at) };
}

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

/** The `scopes` column: a JSON array, or NULL for every scope the key's kind allows. */
export const scopesToColumn = (scopes: readonly Scope[] | null | undefined): string | null => (scopes == null ? null : JSON.stringify(scopes));

/** A `scopes` column as the key's scopes. */
export const scopesFromColumn = (column: string | null): Scope[] | null => (column === null ? null : JSON.parse(column) as Scope[]);

/** A row of `api_keys` joined with its user's name. */
export interface KeyRow {
  id: string;
  user_id: string;
  user_name: string;
  kind: KeyKind;
  label: string;
  prefix: string | null;
  scopes: string | null;
  pin: string | null;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

/** The columns of `api_keys` that make a FoundKey; KEY_COLUMNS selects them. */
export interface FoundKeyRow { id: string; user_id: string; kind: KeyKind; scopes: string | null; pin: string | null; expires_at: number | null }

/** What findByHash selects, in either store. */
export const FOUND_KEY_COLUMNS = 'id, user_id, kind, scopes, pin, expires_at';

/** The columns `list` selects from `api_keys k JOIN users u`, in either store. */
export const KEY_INFO_COLUMNS = 'k.id, k.user_id, u.name AS user_name, k.kind, k.label, k.prefix, k.scopes, k.pin, k.created_at, k.last_used_at, k.expires_at, k.revoked_at';

/** An `api_keys` row as the key its hash finds. */
export function toFoundKey(row: FoundKeyRow): FoundKey {
  return { keyId: row.id, userId: row.user_id, kind: row.kind, scopes: scopesFromColumn(row.scopes), pin: pinFromName(row.pin), expiresAt: dateOrNull(row.expires_at) };
}

/** An `api_keys` row as listed to an operator. */
export function toKeyInfo(k: KeyRow): KeyInfo {
  return {
    id: k.id, userId: k.user_id, userName: k.user_name, kind: k.kind, label: k.label, prefix: k.prefix,
    scopes: scopesFromColumn(k.scopes), pin: pinFromName(k.pin), createdAt: new Date(k.created_at), lastUsedAt: dateOrNull(k.last_used_at),
    expiresAt: dateOrNull(k.expires_at), revokedAt: dateOrNull(k.revoked_at),
  };
}

/** A row of `sessions` (the columns a SessionRecord holds). */
export interface SessionRow { hash: string; user_id: string; created_at: number; last_seen_at: number }

/** A `sessions` row as a SessionRecord. */
export function toSession(r: SessionRow): SessionRecord {
  return { hash: r.hash, userId: r.user_id, createdAt: new Date(r.created_at), lastSeenAt: new Date(r.last_seen_at) };
}

/** A row of `token_families`. */
export interface FamilyRow { id: string; user_id: string; created_at: number; last_used_at: number; generation: number; revoked_at: number | null }

/** A `token_families` row as a TokenFamilyRecord. */
export function toFamily(r: FamilyRow): TokenFamilyRecord {
  return {
    id: r.id, userId: r.user_id, createdAt: new Date(r.created_at), lastUsedAt: new Date(r.last_used_at),
    generation: r.generation, revokedAt: dateOrNull(r.revoked_at),
  };
}

/** A row of `refresh_tokens`. */
export interface RefreshRow { hash: string; family_id: string; generation: number; salt: string; issued_at: number; retired_at: number | null }

/** A `refresh_tokens` row as a RefreshTokenRecord. */
export function toRefreshToken(r: RefreshRow): RefreshTokenRecord {
  return { hash: r.hash, familyId: r.family_id, generation: r.generation, salt: r.salt, issuedAt: new Date(r.issued_at), retiredAt: dateOrNull(r.retired_at) };
}

/** A row of `access_tokens` (the columns an AccessTokenRecord holds). */
export interface AccessRow { hash: string; family_id: string; user_id: string; expires_at: number }

/** An `access_tokens` row as an AccessTokenRecord. */
export function toAccessToken(r: AccessRow): AccessTokenRecord {
  return { hash: r.hash, familyId: r.family_id, userId: r.user_id, expiresAt: new Date(r.expires_at) };
}
