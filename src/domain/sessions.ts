import { LRUCache } from 'lru-cache';
import type { CredentialRepository, SessionRecord } from './repository';
import type { Principal } from './types';
import { checksumHolds, generateSecret, hashSecret, prefixOf } from './secrets';

/** The prefix of a session id (the cookie's value). */
export const SESSION_PREFIX = 'fct_ses_';
/** A session's last use is written at most this often: sliding expiry without a write per request. */
export const TOUCH_EVERY_MS = 60_000;
/** How long a session read from the store is trusted here; revocations announced by the store end it sooner. */
const REMEMBER_MS = 60_000;

/** How long sessions live (OWASP Session Management Cheat Sheet: idle and absolute timeouts). */
export interface SessionLifetimes {
  idleMs: number;
  absoluteMs: number;
}

/** A session that is live now. */
export interface LiveSession {
  hash: string;
  userId: string;
  /** The synchronizer token unsafe requests must echo in X-CSRF-Token. */
  csrfToken: string;
  /** The absolute end. */
  expiresAt: Date;
  /** The end if it is not used again before then. */
  idleExpiresAt: Date;
}

/**
 * A remembered session: the same object on every request that presents it, so a hot request
 * allocates nothing for it. `seen` is the last use seen here, `written` the last one stored.
 */
export interface SessionEntry {
  readonly record: SessionRecord;
  readonly csrfToken: string;
  readonly absoluteEnd: number;
  seen: number;
  written: number;
  /** Who the session's requests are made by, built once (by the HTTP side) and kept with it. */
  principal?: Principal;
}

/** Web sessions: opened at sign-in, found by their cookie, ended by sign-out. */
export interface SessionService {
  /** Opens a new session: a fresh id every time, whatever the client sent (OWASP: no fixation). */
  start(userId: string): Promise<{ id: string; session: LiveSession }>;
  /** The live session of a cookie value, or null; at once when remembered, else after one store read. */
  find(id: string): SessionEntry | null | Promise<SessionEntry | null>;
  /** What a found session looks like now (for answers about it). */
  view(entry: SessionEntry): LiveSession;
  /** Revokes a session in the store; false when it was not live. */
  end(hash: string): Promise<boolean>;
  /** Forgets every remembered session: one was revoked somewhere. */
  forget(): void;
}

/**
 * The session's CSRF token, derived from its id by a one-way hash: unsafe requests must present
 * it, and only a page that was given it (or holds the HttpOnly cookie's value) can.
 */
function csrfTokenOf(id: string): string {
  return hashSecret(`csrf\0${id}`).slice(0, 43);
}

/** Builds the session service; `log` hears of last-use writes that failed (they are retried on later use). */
export function createSessionService(deps: { credentials: CredentialRepository; lifetimes: SessionLifetimes; now: () => Date; log: (message: string, err: unknown) => void }): SessionService {
  const { credentials, lifetimes, now } = deps;
  // Keyed by the cookie's value itself: a remembered session costs a map lookup, no hash and no checksum.
  const known = new LRUCache<string, SessionEntry>({ max: 10_000, ttl: REMEMBER_MS });
  // Uses seen here but perhaps not yet written (at most TOUCH_EVERY_MS old), kept across forget(),
  // so a session read again after a revocation elsewhere keeps the last use this process saw.
  const lastUse = new LRUCache<string, number>({ max: 10_000, ttl: TOUCH_EVERY_MS * 2 });
  let forgotten = 0;

  function entryOf(id: string, record: SessionRecord): SessionEntry {
    const written = record.lastSeenAt.getTime();
    return { record, csrfToken: csrfTokenOf(id), absoluteEnd: record.createdAt.getTime() + lifetimes.absoluteMs, seen: Math.max(written, lastUse.get(record.hash) ?? 0), written };
  }

  function view(entry: SessionEntry): LiveSession {
    const at = Math.max(entry.seen, now().getTime());
    return { hash: entry.record.hash, userId: entry.record.userId, csrfToken: entry.csrfToken, expiresAt: new Date(entry.absoluteEnd), idleExpiresAt: new Date(Math.min(entry.absoluteEnd, at + lifetimes.idleMs)) };
  }

  function use(id: string, entry: SessionEntry): SessionEntry | null {
    const at = now().getTime();
    if (at >= entry.absoluteEnd || at >= entry.seen + lifetimes.idleMs) {
      known.delete(id);
      return null;
    }
    entry.seen = at;
    if (at - entry.written >= TOUCH_EVERY_MS) {
      entry.written = at;
      credentials.touchSession(entry.record.hash, new Date(at)).catch((err: unknown) => deps.log('recording a session\'s last use failed', err));
    }
    return entry;
  }

  return {
    async start(userId) {
      const id = generateSecret(SESSION_PREFIX);
      const at = now();
      const record: SessionRecord = { hash: hashSecret(id), userId, createdAt: at, lastSeenAt: at };
      await credentials.insertSession(record);
      const entry = entryOf(id, record);
      known.set(id, entry);
      return { id, session: view(entry) };
    },
    find(id) {
      const entry = known.get(id);
      if (entry) return use(id, entry);
      // A value that is not a session id Facet minted costs no store read.
      if (prefixOf(id) !== SESSION_PREFIX || !checksumHolds(id)) return null;
      const epoch = forgotten;
      return credentials.findSession(hashSecret(id)).then((record) => {
        if (!record) return null;
        const fresh = entryOf(id, record);
        // A read that was under way when a revocation was announced may predate it: used once, not kept.
        if (epoch === forgotten) known.set(id, fresh);
        return use(id, fresh);
      });
    },
    view,
    async end(hash) {
      for (const [id, entry] of known.entries()) if (entry.record.hash === hash) known.delete(id);
      lastUse.delete(hash);
      return credentials.revokeSession(hash, now());
    },
    forget() {
      forgotten += 1;
      for (const entry of known.values()) lastUse.set(entry.record.hash, entry.seen);
      known.clear();
    },
  };
}
