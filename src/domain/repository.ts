import type { CredentialRepository } from './credential-repository';
import type { KeyRepository } from './key-repository';
import type { Click, Link, LinkChanges, NewLink, Team, User } from './types';

export type { AnswerCount, FoundKey, KeyInfo, KeyRepository, KeyUse, KeyUsageTotal } from './key-repository';
export type { AccessTokenRecord, CredentialRepository, RefreshTokenRecord, RotationStep, SessionRecord, TokenFamilyRecord } from './credential-repository';

/**
 * The persistence contract the domain services are written against; src/store/ implements it
 * (SQLite, PostgreSQL). Implementations throw only the errors of ./store-errors for failures of
 * the store itself, never a driver's own error codes.
 */

/** Position in the newest-first link listing: the last link of a page, exclusive lower bound of the next. */
export interface LinkCursor {
  /** The link's createdAt, in milliseconds since the epoch. */
  createdAt: number;
  /** The link's rowId: breaks ties between links created in the same millisecond. */
  rowId: number;
}

/** One page of the newest-first listing, and where the next one starts (null on the last page). */
export interface LinkPage {
  items: Link[];
  next: LinkCursor | null;
}

/** Links as persisted; every method is async so a networked store can implement it. */
export interface LinkRepository {
  /**
   * The link by code. `fresh` asks for the stored row itself, never a cached copy: what a write
   * checks its preconditions against, since another instance may have just changed the link.
   */
  findByCode(code: string, options?: { fresh?: boolean }): Promise<Link | null>;
  /**
   * The link by code when it is known without a read (a cache holds it): the link, or null when
   * known not to exist; undefined when only findByCode can tell. Optional: a store may keep no cache.
   */
  peekByCode?(code: string): Link | null | undefined;
  /** Newest first; `after` continues a previous page. */
  listByOwner(ownerId: string, limit: number, after: LinkCursor | null): Promise<LinkPage>;
  /** Returns null when the code is already taken. */
  insert(link: NewLink, now: Date): Promise<Link | null>;
  /** Applies changes only if the stored version still equals `expectedVersion`; null otherwise. */
  update(code: string, expectedVersion: number, changes: LinkChanges, now: Date): Promise<Link | null>;
  /** Deletes only if the stored version still equals `expectedVersion`. */
  delete(code: string, expectedVersion: number): Promise<boolean>;
}

/** Users and teams. */
export interface UserRepository {
  findById(id: string): Promise<User | null>;
  findByName(name: string): Promise<User | null>;
  /** Teams the user belongs to, with the user's role in each. */
  teamsOf(userId: string): Promise<{ id: string; name: string; role: string }[]>;
  findTeam(id: string): Promise<Team | null>;
  insert(user: User): Promise<void>;
  createTeam(team: { id: string; name: string; createdAt: Date }, members: { userId: string; role: string }[]): Promise<void>;
}

/** Clicks of links over a window, from the daily roll-ups, summed by the database. */
export interface WindowClicks {
  /** Per link and UTC day (`YYYY-MM-DD`) with clicks; days without clicks are absent. */
  perDay: { linkRowId: number; day: string; clicks: number }[];
  /** Per link, dimension and value over the whole window; value '' is no referrer. */
  perValue: { linkRowId: number; dimension: 'device' | 'country' | 'referrer'; value: string; clicks: number }[];
}

/** Click events and their daily roll-ups. */
export interface ClickRepository {
  /**
   * Records a batch atomically: raw clicks, daily roll-ups and each link's click count. Safe to run
   * from several processes at once: counts are added, never overwritten. Clicks of a deleted link are dropped.
   */
  insertBatch(clicks: Click[]): Promise<void>;
  /** Clicks of these links from `fromDay` (inclusive) on, grouped in the database. */
  window(linkRowIds: number[], fromDay: string): Promise<WindowClicks>;
}

/** What one process counted in one rate-limit window since it last reported. */
export interface WindowIncrement {
  policy: string;
  partition: string;
  /** Start of the fixed window, epoch milliseconds (aligned: the same on every process). */
  windowStart: number;
  delta: number;
}

/** Rate-limit counts shared by every process on one store, so N instances never mean N quotas. */
export interface RateLimitCounts {
  /** Adds each increment to its window's shared count; resolves with the totals after adding, in order. */
  add(increments: WindowIncrement[]): Promise<number[]>;
  /** Forgets windows that started before `before` (epoch milliseconds). */
  prune(before: number): Promise<void>;
}

/** What changed in the store, as announced to every process sharing it. */
export type StoreChange =
  | { kind: 'link'; code: string }
  | { kind: 'clicks' }
  /** A key, session or token was revoked or expired early, or a password changed: forget remembered credentials. */
  | { kind: 'accounts' }
  /** Changes may have been missed (the feed was down): forget everything derived. */
  | { kind: 'unknown' };

/** The one persistence contract: SQLite by default, PostgreSQL when DATABASE_URL is set. */
export interface Store {
  /** Which implementation this is, for logs and readiness: 'sqlite' or 'postgres'. */
  kind: string;
  links: LinkRepository;
  keys: KeyRepository;
  users: UserRepository;
  credentials: CredentialRepository;
  clicks: ClickRepository;
  /** Shared rate-limit counts; absent where one process is the whole service (SQLite). */
  rateLimits?: RateLimitCounts;
  /**
   * A number that changes whenever this process writes links, users, teams or clicks: an answer
   * derived from reads may be reused while it is unchanged (for as long as the store's own reads
   * may be stale). Optional: without it, nothing derived is reused.
   */
  dataVersion?(): number;
  /**
   * Calls `listener` for every write made through any process sharing this store, this one
   * included, soon after it commits. Optional: a store only one process uses need not announce.
   */
  subscribe?(listener: (change: StoreChange) => void): void;
  /** True when the database holds no links (a first start, even after `npm run keys -- create` has made a user and a key). */
  isEmpty(): Promise<boolean>;
  /** Resolves when the store can serve reads and take writes now; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
