import type { KeyRepository } from '../../domain/repository';
import type { KeyKind } from '../../domain/types';
import type { Db } from './db';
import { ANNOUNCE_ACCOUNTS } from './db';
import { scopesFromColumn, scopesToColumn, toKeyInfo } from '../rows';
import type { KeyRow } from '../rows';

/** API keys in PostgreSQL, found by the hash of the secret; revoked keys stay listed. */
export function createPostgresKeys(db: Db): KeyRepository {
  return {
    async findByHash(hash) {
      const [row] = await db.query<{ id: string; user_id: string; kind: KeyKind; scopes: string | null; expires_at: number | null }>(
        'SELECT id, user_id, kind, scopes, expires_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
      if (!row) return null;
      return { keyId: row.id, userId: row.user_id, kind: row.kind, scopes: scopesFromColumn(row.scopes), expiresAt: row.expires_at === null ? null : new Date(row.expires_at) };
    },
    async insert(key, now) {
      await db.query(
        'INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, scopes, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, scopesToColumn(key.scopes), key.expiresAt?.getTime() ?? null, now.getTime()]);
    },
    async list() {
      const rows = await db.query<KeyRow>(
        `SELECT k.id, k.user_id, u.name AS user_name, k.kind, k.label, k.prefix, k.scopes, k.created_at, k.last_used_at, k.expires_at, k.revoked_at
         FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id COLLATE "C"`);
      return rows.map(toKeyInfo);
    },
    async revoke(id, now) {
      // Announced in the statement that changes the key, so every instance forgets the keys it has cached at once.
      const rows = await db.query(
        `WITH w AS (UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id)
         SELECT ${ANNOUNCE_ACCOUNTS} FROM w`, [now.getTime(), id]);
      return rows.length > 0;
    },
    async expire(id, at) {
      const rows = await db.query(
        `WITH w AS (UPDATE api_keys SET expires_at = $1 WHERE id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) RETURNING id)
         SELECT ${ANNOUNCE_ACCOUNTS} FROM w`, [at.getTime(), id]);
      return rows.length > 0;
    },
    async recordUse(uses) {
      if (uses.length === 0) return;
      const latest = new Map<string, number>();
      for (const u of uses) latest.set(u.id, Math.max(latest.get(u.id) ?? -Infinity, u.at.getTime()));
      const ids = [...latest.keys()];
      await db.transaction(async (client) => {
        // Rows locked in id order first: two instances flushing the same keys queue up instead of deadlocking.
        await client.query('SELECT id FROM api_keys WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE', [ids]);
        await client.query(
          `UPDATE api_keys k SET last_used_at = u.at FROM unnest($1::text[], $2::bigint[]) AS u(id, at)
           WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`, [ids, [...latest.values()]]);
      });
    },
  };
}
