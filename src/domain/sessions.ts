import { LRUCache } from 'lru-cache';
import type { CredentialRepository, SessionRecord } from './repository';
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

/** Web sessions: opened at sign-in, found by their cookie, ended by sign-out. */
export interface SessionService {
  /** Opens a new session: a fresh id every time, whatever the client sent (OWASP: no fixation). */
  start(userId: string): Promise<{ id: string; session: LiveSession }>;
  /** The live session of a cookie value, or null; at once when remembered, else after one store read. */
  find(id: string): LiveSession | null | Promise<LiveSession | null>;
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
  // Per remembered session: the record, the last use seen here, and the last one written.
  const known = new LRUCache<string, { record: SessionRecord; csrfToken: string; seen: number; written: number }>({ max: 10_000, ttl: REMEMBER_MS });
  // Uses seen here but perhaps not yet written (at most TOUCH_EVERY_MS old): they outlive forget(),
  // so a session read again after a revocation elsewhere keeps the last use this process saw.
  const lastUse = new LRUCache<string, number>({ max: 10_000, ttl: TOUCH_EVERY_MS * 2 });

  let forgotten = 0;

  function live(entry: { record: SessionRecord; csrfToken: string; seen: number }, at: number): LiveSession | null {
    const absoluteEnd = entry.record.createdAt.getTime() + lifetimes.absoluteMs;
    const idleEnd = entry.seen + lifetimes.idleMs;
    if (at >= absoluteEnd || at >= idleEnd) return null;
    return { hash: entry.record.hash, userId: entry.record.userId, csrfToken: entry.csrfToken, expiresAt: new Date(absoluteEnd), idleExpiresAt: new Date(Math.min(absoluteEnd, at + lifetimes.idleMs)) };
  }

  function use(entry: { record: SessionRecord; csrfToken: string; seen: number; written: number }): LiveSession | null {
    const at = now().getTime();
    const session = live(entry, at);
    if (!session) {
      known.delete(entry.record.hash);
      return null;
    }
    entry.seen = at;
    lastUse.set(entry.record.hash, at);
    if (at - entry.written >= TOUCH_EVERY_MS) {
      entry.written = at;
      credentials.touchSession(entry.record.hash, new Date(at)).catch((err: unknown) => deps.log('recording a session\'s last use failed', err));
    }
    return session;
  }

  return {
    async start(userId) {
      const id = generateSecret(SESSION_PREFIX);
      const at = now();
      const record: SessionRecord = { hash: hashSecret(id), userId, createdAt: at, lastSeenAt: at };
      await credentials.insertSession(record);
      const entry = { record, csrfToken: csrfTokenOf(id), seen: at.getTime(), written: at.getTime() };
      known.set(record.hash, entry);
      return { id, session: live(entry, at.getTime())! };
    },
    find(id) {
      // A value that is not a session id Facet minted costs no store read.
      if (prefixOf(id) !== SESSION_PREFIX || !checksumHolds(id)) return null;
      const hash = hashSecret(id);
      const entry = known.get(hash);
      if (entry) return use(entry);
      const epoch = forgotten;
      return credentials.findSession(hash).then((record) => {
        if (!record) return null;
        const written = record.lastSeenAt.getTime();
        const fresh = { record, csrfToken: csrfTokenOf(id), seen: Math.max(written, lastUse.get(hash) ?? 0), written };
        // A read that was under way when a revocation was announced may predate it: used once, not kept.
        if (epoch === forgotten) known.set(hash, fresh);
        return use(fresh);
      });
    },
    async end(hash) {
      known.delete(hash);
      lastUse.delete(hash);
      return credentials.revokeSession(hash, now());
    },
    forget() {
      forgotten += 1;
      known.clear();
    },
  };
}
