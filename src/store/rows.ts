import type { KeyInfo } from '../domain/repository';
import type { KeyKind, Link, User } from '../domain/types';

// Both stores share one schema (column for column; times in epoch milliseconds, tags as JSON text),
// so a row reads into domain data the same way from either driver.

/** The tables requests read: readiness reads a row of each, in either store. */
export const READ_TABLES = ['users', 'api_keys', 'links', 'click_daily', 'teams'] as const;

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

/** A row of `api_keys` joined with its user's name. */
export interface KeyRow {
  id: string;
  user_id: string;
  user_name: string;
  kind: KeyKind;
  label: string;
  prefix: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** An `api_keys` row as listed to an operator. */
export function toKeyInfo(k: KeyRow): KeyInfo {
  return {
    id: k.id, userId: k.user_id, userName: k.user_name, kind: k.kind, label: k.label, prefix: k.prefix,
    createdAt: new Date(k.created_at), revokedAt: k.revoked_at === null ? null : new Date(k.revoked_at),
  };
}
