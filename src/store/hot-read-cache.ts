import { LRUCache } from 'lru-cache';
import type { Link } from '../domain/types';
import type { Store, StoreChange, WindowClicks } from '../domain/repository';
import { StoreUnavailableError } from '../domain/store-errors';

/** How stale a hot read may be: another process's write shows within this time. */
export const HOT_READ_TTL_MS = 1000;
/** How long a link read last is still used when the store cannot be reached (stale-if-error). */
export const STALE_IF_ERROR_MS = 10 * 60_000;

/**
 * Remembers links read by code, and click windows read by analytics, for `ttlMs`: a hot public
 * card costs no database read and a dashboard no GROUP BY. This process's own writes and click
 * batches drop entries at once; another process's writes drop them when the store announces them
 * (`Store.subscribe`: PostgreSQL's LISTEN/NOTIFY), and within `ttlMs` at the latest when an
 * announcement is lost or the store announces nothing. When the store is unreachable, a link read
 * in the last STALE_IF_ERROR_MS is answered as last read (stale-if-error, as RFC 5861 lets caches do).
 */
export function cacheHotReads(store: Store, options: { ttlMs: number; max: number }): Store {
  // A miss is remembered too (as null): a flood of unknown codes must not reach the database either.
  const byCode = new LRUCache<string, { link: Link | null }>({ max: options.max, ttl: options.ttlMs });
  // While the store is down, short links keep redirecting (their clicks are held) from the last
  // read of each link; an edit or delete announced for a code removes it here too.
  const lastKnown = new LRUCache<string, { link: Link | null }>({ max: options.max, ttl: STALE_IF_ERROR_MS });
  const windows = new LRUCache<string, WindowClicks>({ max: 1_000, ttl: options.ttlMs });
  const { links, clicks, users, credentials } = store;
  let version = 0;
  const changed = () => { version += 1; };
  const forgetCode = (code: string) => {
    byCode.delete(code);
    lastKnown.delete(code);
  };
  store.subscribe?.(function forget(change: StoreChange) {
    if (change.kind === 'link') forgetCode(change.code);
    if (change.kind === 'clicks' || change.kind === 'unknown') {
      byCode.clear();
      windows.clear();
    }
    if (change.kind === 'unknown') lastKnown.clear();
    changed();
  });
  return {
    ...store,
    dataVersion: () => version,
    links: {
      ...links,
      peekByCode: (code) => byCode.get(code)?.link,
      async findByCode(code, options) {
        if (options?.fresh) return links.findByCode(code, options);
        const hit = byCode.get(code);
        if (hit) return hit.link;
        let link: Link | null;
        try {
          link = await links.findByCode(code);
        } catch (err) {
          const known = err instanceof StoreUnavailableError ? lastKnown.get(code) : undefined;
          if (known) return known.link;
          throw err;
        }
        byCode.set(code, { link });
        lastKnown.set(code, { link });
        return link;
      },
      async insert(link, now) {
        const stored = await links.insert(link, now);
        forgetCode(link.code);
        changed();
        return stored;
      },
      async update(code, expectedVersion, changes, now) {
        forgetCode(code);
        const updated = await links.update(code, expectedVersion, changes, now);
        forgetCode(code);
        changed();
        return updated;
      },
      async delete(code, expectedVersion) {
        forgetCode(code);
        const deleted = await links.delete(code, expectedVersion);
        forgetCode(code);
        changed();
        return deleted;
      },
    },
    users: {
      ...users,
      async insert(user) {
        await users.insert(user);
        changed();
      },
      async createTeam(team, members) {
        await users.createTeam(team, members);
        changed();
      },
    },
    credentials: {
      ...credentials,
      async createAccount(user, passwordHash) {
        const created = await credentials.createAccount(user, passwordHash);
        if (created) changed();
        return created;
      },
    },
    clicks: {
      ...clicks,
      async insertBatch(batch) {
        await clicks.insertBatch(batch);
        // Click counts changed; batches come at most about once a second, so starting afresh is cheap.
        byCode.clear();
        windows.clear();
        changed();
      },
      async window(linkRowIds, fromDay) {
        const key = `${fromDay}:${linkRowIds.join(',')}`;
        const hit = windows.get(key);
        if (hit) return hit;
        const read = await clicks.window(linkRowIds, fromDay);
        windows.set(key, read);
        return read;
      },
    },
  };
}
