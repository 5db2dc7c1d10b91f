import type { VendorType } from '../../representations/media-types';

/** Plain data shared by the domain services, the store and the representations. */

export type KeyKind = 'user' | 'partner';

/** A person or partner account that owns links. */
export interface User {
  id: string;
  name: string;
  email: string;
  avatarUrl: string | null;
  createdAt: Date;
}

/** How a caller proved who it is: a partner's or person's API key, a web session cookie, a mobile access token. */
export type CredentialKind = 'key' | 'session' | 'token';

/** What an API key may be limited to; a key without scopes may do all its kind may. */
export const SCOPES = ['links:read', 'links:write', 'stats:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: resolved from an API key, a session cookie or an access token. */
export interface Principal {
  userId: string;
  /** The credential's id (a key id, a session's, a token family's): per-credential limits count by it. */
  keyId: string;
  kind: KeyKind;
  via: CredentialKind;
  /** What the credential may do; null: everything its kind may (sessions, tokens, unscoped keys). */
  scopes: readonly Scope[] | null;
  /** The contract a partner key is pinned to (Stripe-style); null or absent: its kind's default. */
  pin?: VendorType | null;
}

/** A short link as stored. `version` grows on every change; `rowId` is never reused. */
export interface Link {
  rowId: number;
  code: string;
  ownerId: string;
  url: string;
  title: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  version: number;
  clickCount: number;
}

/** One page of a keyset-paginated listing. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The fields a caller may set when creating a link, already validated. */
export interface NewLink {
  code: string;
  ownerId: string;
  url: string;
  title: string | null;
  tags: string[];
  expiresAt: Date | null;
}

/** A partial update; `undefined` leaves a field alone, `null` clears it. */
export interface LinkChanges {
  url?: string;
  title?: string | null;
  tags?: string[];
  expiresAt?: Date | null;
}

/** A recorded visit of a short link. */
export interface Click {
  linkRowId: number;
  at: Date;
  device: string;
  country: string;
  referrer: string | null;
}

/** A team and its members. */
export interface Team {
  id: string;
  name: string;
  createdAt: Date;
  members: { user: User; role: string }[];
}
