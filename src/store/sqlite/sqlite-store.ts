import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Click, Link, LinkChanges, NewLink, User } from '../../domain/types';
import type { LinkCursor, Store } from '../repository';
import { cacheHotReads, HOT_READ_TTL_MS } from '../hot-read-cache';
import { migrate } from './migrations';

interface LinkRow {
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

function toLink(row: LinkRow): Link {
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

interface UserRow {
  id: string;
  name: string;
  email: string;
  avatar_url: string | null;
  created_at: number;
}

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, email: row.email, avatarUrl: row.avatar_url, createdAt: new Date(row.created_at) };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * How long a statement waits for a lock another process holds before failing with SQLITE_BUSY.
 * better-sqlite3 is synchronous, so the wait blocks the event loop: it is kept short, and the
 * error handler answers SQLITE_BUSY with 503 and Retry-After. Within this process nothing waits:
 * there is one connection, and in WAL mode readers never wait for a writer.
 */
export const BUSY_TIMEOUT_MS = 100;

/** Opens (creating if needed) `<dataDir>/facet.db` in WAL mode and runs pending migrations. */
export function createSqliteStore(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'facet.db'));
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL is durable against process crashes; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(db);

  const q = {
    linkByCode: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE code = ?'),
    linksFirst: db.prepare<[string, number], LinkRow>(
      'SELECT * FROM links WHERE owner_id = ? ORDER BY created_at DESC, row_id DESC LIMIT ?'),
    linksAfter: db.prepare<[string, number, number, number, number], LinkRow>(
      `SELECT * FROM links WHERE owner_id = ? AND (created_at < ? OR (created_at = ? AND row_id < ?))
       ORDER BY created_at DESC, row_id DESC LIMIT ?`),
    insertLink: db.prepare(
      `INSERT INTO links (code, owner_id, url, title, tags, created_at, updated_at, expires_at)
       VALUES (@code, @ownerId, @url, @title, @tags, @now, @now, @expiresAt)`),
    deleteLink: db.prepare<[string, number]>('DELETE FROM links WHERE code = ? AND version = ?'),
    keyByHash: db.prepare<[string], { id: string; user_id: string; kind: 'user' | 'partner' }>(
      'SELECT id, user_id, kind FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL'),
    insertKey: db.prepare('INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    listKeys: db.prepare<[], { id: string; user_id: string; user_name: string; kind: 'user' | 'partner'; label: string; prefix: string | null; created_at: number; revoked_at: number | null }>(
      'SELECT k.id, k.user_id, u.name AS user_name, k.kind, k.label, k.prefix, k.created_at, k.revoked_at FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id'),
    revokeKey: db.prepare<[number, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ? ORDER BY created_at LIMIT 1'),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    insertUser: db.prepare('INSERT INTO users (id, name, email, avatar_url, created_at) VALUES (?, ?, ?, ?, ?)'),
    insertTeam: db.prepare('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)'),
    insertMember: db.prepare('INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)'),
    insertClick: db.prepare<[number, number, string, string, string | null, number]>(
      'INSERT INTO clicks (link_row_id, at, device, country, referrer) SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM links WHERE row_id = ?)'),
    bumpClicks: db.prepare<[number, number]>('UPDATE links SET click_count = click_count + ? WHERE row_id = ?'),
    anyUser: db.prepare('SELECT 1 FROM users LIMIT 1'),
    bumpDaily: db.prepare(
      `INSERT INTO click_daily (link_row_id, day, dimension, value, clicks) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (link_row_id, day, dimension, value) DO UPDATE SET clicks = clicks + excluded.clicks`),
    // json_each keeps these one prepared statement each, whatever the number of links.
    windowPerDay: db.prepare<[string, string], { link_row_id: number; day: string; clicks: number }>(
      `SELECT link_row_id, day, clicks FROM click_daily
       WHERE link_row_id IN (SELECT value FROM json_each(?)) AND day >= ? AND dimension = 'total'`),
    windowPerValue: db.prepare<[string, string], { link_row_id: number; dimension: 'device' | 'country' | 'referrer'; value: string; clicks: number }>(
      `SELECT link_row_id, dimension, value, SUM(clicks) AS clicks FROM click_daily
       WHERE link_row_id IN (SELECT value FROM json_each(?)) AND day >= ? AND dimension <> 'total'
       GROUP BY link_row_id, dimension, value`),
    teamsOf: db.prepare<[string], { id: string; name: string; role: string }>(
      'SELECT t.id, t.name, m.role FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ? ORDER BY t.name'),
    teamById: db.prepare<[string], { id: string; name: string; created_at: number }>('SELECT * FROM teams WHERE id = ?'),
    teamMembers: db.prepare<[string], UserRow & { role: string }>(
      'SELECT u.*, m.role FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? ORDER BY u.name'),
  };

  const insertClicks = db.transaction((clicks: Click[]) => {
    const perLink = new Map<number, number>();
    const rollups = new Map<string, number>();
    for (const c of clicks) {
      // A link deleted between the visit and the flush takes its click along (as ON DELETE CASCADE
      // took the earlier ones); failing on it would fail, and keep retrying, the whole batch.
      if (q.insertClick.run(c.linkRowId, c.at.getTime(), c.device, c.country, c.referrer, c.linkRowId).changes === 0) continue;
      perLink.set(c.linkRowId, (perLink.get(c.linkRowId) ?? 0) + 1);
      const day = c.at.toISOString().slice(0, 10);
      for (const key of [[c.linkRowId, day, 'total', ''], [c.linkRowId, day, 'device', c.device], [c.linkRowId, day, 'country', c.country], [c.linkRowId, day, 'referrer', c.referrer ?? '']]) {
        const k = JSON.stringify(key);
        rollups.set(k, (rollups.get(k) ?? 0) + 1);
      }
    }
    for (const [rowId, n] of perLink) q.bumpClicks.run(n, rowId);
    for (const [k, n] of rollups) q.bumpDaily.run(...(JSON.parse(k) as [number, string, string, string]), n);
  });

  const writeProbe = db.transaction(() => q.anyUser.get());

  const createTeam = db.transaction((team: { id: string; name: string; createdAt: Date }, members: { userId: string; role: string }[]) => {
    q.insertTeam.run(team.id, team.name, team.createdAt.getTime());
    for (const m of members) q.insertMember.run(team.id, m.userId, m.role);
  });

  const store: Store = {
    links: {
      async findByCode(code) {
        const row = q.linkByCode.get(code);
        return row ? toLink(row) : null;
      },
      async listByOwner(ownerId, limit, after: LinkCursor | null) {
        // One extra row tells whether another page exists without a COUNT.
        const rows = after
          ? q.linksAfter.all(ownerId, after.createdAt, after.createdAt, after.rowId, limit + 1)
          : q.linksFirst.all(ownerId, limit + 1);
        const items = rows.slice(0, limit).map(toLink);
        const last = items[items.length - 1];
        const nextCursor = rows.length > limit && last ? `${last.createdAt.getTime()}.${last.rowId}` : null;
        return { items, nextCursor };
      },
      async insert(link: NewLink, now: Date) {
        try {
          q.insertLink.run({
            code: link.code, ownerId: link.ownerId, url: link.url, title: link.title,
            tags: JSON.stringify(link.tags), now: now.getTime(), expiresAt: link.expiresAt?.getTime() ?? null,
          });
        } catch (err) {
          if (isUniqueViolation(err)) return null;
          throw err;
        }
        const row = q.linkByCode.get(link.code);
        return row ? toLink(row) : null;
      },
      async update(code: string, expectedVersion: number, changes: LinkChanges, now: Date) {
        const sets = ['version = version + 1', 'updated_at = @now'];
        const params: Record<string, unknown> = { code, expectedVersion, now: now.getTime() };
        if (changes.url !== undefined) { sets.push('url = @url'); params.url = changes.url; }
        if (changes.title !== undefined) { sets.push('title = @title'); params.title = changes.title; }
        if (changes.tags !== undefined) { sets.push('tags = @tags'); params.tags = JSON.stringify(changes.tags); }
        if (changes.expiresAt !== undefined) { sets.push('expires_at = @expiresAt'); params.expiresAt = changes.expiresAt?.getTime() ?? null; }
        const result = db.prepare(`UPDATE links SET ${sets.join(', ')} WHERE code = @code AND version = @expectedVersion`).run(params);
        if (result.changes === 0) return null;
        const row = q.linkByCode.get(code);
        return row ? toLink(row) : null;
      },
      async delete(code, expectedVersion) {
        return q.deleteLink.run(code, expectedVersion).changes > 0;
      },
    },
    keys: {
      async findByHash(hash) {
        const row = q.keyByHash.get(hash);
        return row ? { keyId: row.id, userId: row.user_id, kind: row.kind } : null;
      },
      async insert(key, now) {
        q.insertKey.run(key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, now.getTime());
      },
      async list() {
        return q.listKeys.all().map((k) => ({
          id: k.id, userId: k.user_id, userName: k.user_name, kind: k.kind, label: k.label, prefix: k.prefix,
          createdAt: new Date(k.created_at), revokedAt: k.revoked_at === null ? null : new Date(k.revoked_at),
        }));
      },
      async revoke(id, now) {
        return q.revokeKey.run(now.getTime(), id).changes > 0;
      },
    },
    users: {
      async findById(id) {
        const row = q.userById.get(id);
        return row ? toUser(row) : null;
      },
      async findByName(name) {
        const row = q.userByName.get(name);
        return row ? toUser(row) : null;
      },
      async teamsOf(userId) {
        return q.teamsOf.all(userId).map((t) => ({ id: t.id, name: t.name, role: t.role }));
      },
      async findTeam(id) {
        const team = q.teamById.get(id);
        if (!team) return null;
        const members = q.teamMembers.all(id).map((row) => ({ user: toUser(row), role: row.role }));
        return { id: team.id, name: team.name, createdAt: new Date(team.created_at), members };
      },
      async insert(user: User) {
        q.insertUser.run(user.id, user.name, user.email, user.avatarUrl, user.createdAt.getTime());
      },
      async createTeam(team, members) {
        createTeam(team, members);
      },
    },
    clicks: {
      async insertBatch(clicks) {
        if (clicks.length > 0) insertClicks(clicks);
      },
      async window(linkRowIds, fromDay) {
        if (linkRowIds.length === 0) return { perDay: [], perValue: [] };
        const ids = JSON.stringify(linkRowIds);
        return {
          perDay: q.windowPerDay.all(ids, fromDay).map((r) => ({ linkRowId: r.link_row_id, day: r.day, clicks: r.clicks })),
          perValue: q.windowPerValue.all(ids, fromDay).map((r) => ({ linkRowId: r.link_row_id, dimension: r.dimension, value: r.value, clicks: r.clicks })),
        };
      },
    },
    async isEmpty() {
      return q.anyUser.get() === undefined;
    },
    async ping() {
      // Takes the write lock and reads a row without writing: fails while another process holds
      // the lock or the file cannot be read, which `SELECT 1` (it touches no file) would not notice.
      writeProbe.immediate();
    },
    async close() {
      if (db.open) db.close();
    },
  };
  return cacheHotReads(store, { ttlMs: HOT_READ_TTL_MS, max: 10_000 });
}
