import type { LinkRepository } from '../../domain/repository';
import type { LinkChanges } from '../../domain/types';
import type { Db } from './db';
import { CHANGES_CHANNEL } from './db';
import { isUniqueViolation } from './errors';
import { toLink } from '../rows';
import type { LinkRow } from '../rows';

/** Appends `value` to `params` and returns its placeholder. */
const param = (params: unknown[], value: unknown) => `$${params.push(value)}`;

/** The SET clause of a partial update: only the fields given change. */
function changeSet(changes: LinkChanges, params: unknown[], now: Date): string {
  const sets = ['version = version + 1', `updated_at = ${param(params, now.getTime())}`];
  if (changes.url !== undefined) sets.push(`url = ${param(params, changes.url)}`);
  if (changes.title !== undefined) sets.push(`title = ${param(params, changes.title)}`);
  if (changes.tags !== undefined) sets.push(`tags = ${param(params, JSON.stringify(changes.tags))}`);
  if (changes.expiresAt !== undefined) sets.push(`expires_at = ${param(params, changes.expiresAt?.getTime() ?? null)}`);
  return sets.join(', ');
}

// Every write announces itself in its own statement: pg_notify runs once per changed row and is
// delivered when the statement commits, so a write that changed nothing announces nothing.
const announced = (code: string) => `pg_notify('${CHANGES_CHANNEL}', json_build_object('kind', 'link', 'code', ${code})::text)`;

/** Links in PostgreSQL; the same rules as the SQLite store, checked by one contract suite. */
export function createPostgresLinks(db: Db): LinkRepository {
  const first = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<LinkRow>(sql, params);
    return row ? toLink(row) : null;
  };
  return {
    findByCode: (code) => first('SELECT * FROM links WHERE code = $1', [code]),
    async listByOwner(ownerId, limit, after) {
      // One extra row tells whether another page exists without a COUNT.
      const rows = after
        ? await db.query<LinkRow>(
          `SELECT * FROM links WHERE owner_id = $1 AND (created_at, row_id) < ($2, $3)
           ORDER BY created_at DESC, row_id DESC LIMIT $4`, [ownerId, after.createdAt, after.rowId, limit + 1])
        : await db.query<LinkRow>('SELECT * FROM links WHERE owner_id = $1 ORDER BY created_at DESC, row_id DESC LIMIT $2', [ownerId, limit + 1]);
      const items = rows.slice(0, limit).map(toLink);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? { createdAt: last.createdAt.getTime(), rowId: last.rowId } : null };
    },
    async insert(link, now) {
      try {
        return await first(
          `WITH w AS (
             INSERT INTO links (code, owner_id, url, title, tags, created_at, updated_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING *)
           SELECT w.*, ${announced('w.code')} FROM w`,
          [link.code, link.ownerId, link.url, link.title, JSON.stringify(link.tags), now.getTime(), link.expiresAt?.getTime() ?? null]);
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async update(code, expectedVersion, changes, now) {
      const params: unknown[] = [code, expectedVersion];
      const sets = changeSet(changes, params, now);
      return first(
        `WITH w AS (UPDATE links SET ${sets} WHERE code = $1 AND version = $2 RETURNING *)
         SELECT w.*, ${announced('w.code')} FROM w`, params);
    },
    async delete(code, expectedVersion) {
      const rows = await db.query(
        `WITH w AS (DELETE FROM links WHERE code = $1 AND version = $2 RETURNING code)
         SELECT ${announced('w.code')} FROM w`, [code, expectedVersion]);
      return rows.length > 0;
    },
  };
}
