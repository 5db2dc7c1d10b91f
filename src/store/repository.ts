import type { Click, KeyKind, Link, LinkChanges, NewLink, Page, Team, User } from '../domain/types';

/** Position in the newest-first link listing: exclusive lower bound of the next page. */
export interface LinkCursor {
  createdAt: number;
  rowId: number;
}

/** Links as persisted; every method is async so a networked store can implement it. */
export interface LinkRepository {
  findByCode(code: string): Promise<Link | null>;
  /**
   * The link by code when it is known without a read (a cache holds it): the link, or null when
   * known not to exist; undefined when only findByCode can tell. Optional: a store may keep no cache.
   */
  peekByCode?(code: string): Link | null | undefined;
  /** Newest first; `after` continues a previous page. */
  listByOwner(ownerId: string, limit: number, after: LinkCursor | null): Promise<Page<Link>>;
  /** Returns null when the code is already taken. */
  insert(link: NewLink, now: Date): Promise<Link | null>;
  /** Applies changes only if the stored version still equals `expectedVersion`; null otherwise. */
  update(code: string, expectedVersion: number, changes: LinkChanges, now: Date): Promise<Link | null>;
  /** Deletes only if the stored version still equals `expectedVersion`. */
  delete(code: string, expectedVersion: number): Promise<boolean>;
}

/** An API key as listed to an operator: never its secret or hash. */
export interface KeyInfo {
  id: string;
  userId: string;
  userName: string;
  kind: KeyKind;
  label: string;
  prefix: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** API keys, looked up by the hash of the presented secret. */
export interface KeyRepository {
  findByHash(hash: string): Promise<{ keyId: string; userId: string; kind: KeyKind } | null>;
  insert(key: { id: string; hash: string; userId: string; kind: KeyKind; label: string; prefix?: string }, now: Date): Promise<void>;
  list(): Promise<KeyInfo[]>;
  /** Marks a key revoked; false when no such active key exists. */
  revoke(id: string, now: Date): Promise<boolean>;
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
  /** Records a batch atomically: raw clicks, daily roll-ups and each link's click count. */
  insertBatch(clicks: Click[]): Promise<void>;
  /** Clicks of these links from `fromDay` (inclusive) on, grouped in the database. */
  window(linkRowIds: number[], fromDay: string): Promise<WindowClicks>;
}

/** The one persistence contract: SQLite by default, PostgreSQL later. */
export interface Store {
  links: LinkRepository;
  keys: KeyRepository;
  users: UserRepository;
  clicks: ClickRepository;
  /**
   * A number that changes whenever this process writes links, users, teams or clicks: an answer
   * derived from reads may be reused while it is unchanged (for as long as the store's own reads
   * may be stale). Optional: without it, nothing derived is reused.
   */
  dataVersion?(): number;
  /** True when the database holds no users at all (first start). */
  isEmpty(): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
