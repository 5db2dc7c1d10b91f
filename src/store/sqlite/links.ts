import type Database from 'better-sqlite3';
import type { LinkRepository } from '../../domain/repository';
import type { LinkChanges } from '../../domain/types';
import { isUniqueViolation } from './errors';
import { toLink } from '../rows';
import type { LinkRow } from '../rows';

/** The SET clause and parameters of a partial update: only the fields given change. */
function changeSet(changes: LinkChanges): { sets: string[]; params: Record<string, unknown> } {
  const sets = ['version = version + 1', 'updated_at = @now'];
  const params: Record<string, unknown> = {};
  if (changes.url !== undefined) { sets.push('url = @url'); params.url = changes.url; }
  if (changes.title !== undefined) { sets.push('title = @title'); params.title = changes.title; }
  if (changes.tags !== undefined) { sets.push('tags = @tags'); params.tags = JSON.stringify(changes.tags); }
  if (changes.expiresAt !== undefined) { sets.push('expires_at = @expiresAt'); params.expiresAt = changes.expiresAt?.getTime() ?? null; }
  return { sets, params };
}

/** Links in SQLite: a row per link, `version` bumped by every update. */
export function createSqliteLinks(db: Database.Database): LinkRepository {
  const q = {
    byCode: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE code = ?'),
    first: db.prepare<[string, number], LinkRow>(
      'SELECT * FROM links WHERE owner_id = ? ORDER BY created_at DESC, row_id DESC LIMIT ?'),
    after: db.prepare<[string, number, number, number, number], LinkRow>(
      `SELECT * FROM links WHERE owner_id = ? AND (created_at < ? OR (created_at = ? AND row_id < ?))
       ORDER BY created_at DESC, row_id DESC LIMIT ?`),
    insert: db.prepare(
      `INSERT INTO links (code, owner_id, url, title, tags, created_at, updated_at, expires_at)
       VALUES (@code, @ownerId, @url, @title, @tags, @now, @now, @expiresAt)`),
    delete: db.prepare<[string, number]>('DELETE FROM links WHERE code = ? AND version = ?'),
  };
  const find = (code: string) => {
    const row = q.byCode.get(code);
    return row ? toLink(row) : null;
  };
  return {
    async findByCode(code) {
      return find(code);
    },
    async listByOwner(ownerId, limit, after) {
      // One extra row tells whether another page exists without a COUNT.
      const rows = after
        ? q.after.all(ownerId, after.createdAt, after.createdAt, after.rowId, limit + 1)
        : q.first.all(ownerId, limit + 1);
      const items = rows.slice(0, limit).map(toLink);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? { createdAt: last.createdAt.getTime(), rowId: last.rowId } : null };
    },
    async insert(link, now) {
      try {
        q.insert.run({
          code: link.code, ownerId: link.ownerId, url: link.url, title: link.title,
          tags: JSON.stringify(link.tags), now: now.getTime(), expiresAt: link.expiresAt?.getTime() ?? null,
        });
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
      return find(link.code);
    },
    async update(code, expectedVersion, changes, now) {
      const { sets, params } = changeSet(changes);
      const result = db.prepare(`UPDATE links SET ${sets.join(', ')} WHERE code = @code AND version = @expectedVersion`)
        .run({ ...params, code, expectedVersion, now: now.getTime() });
      return result.changes === 0 ? null : find(code);
    },
    async delete(code, expectedVersion) {
      return q.delete.run(code, expectedVersion).changes > 0;
    },
  };
}
