import type { KeyRepository } from '../../domain/repository';
import type { KeyKind } from '../../domain/types';
import type { Db } from './db';
import { CHANGES_CHANNEL } from './db';
import { toKeyInfo } from '../rows';
import type { KeyRow } from '../rows';

/** API keys in PostgreSQL, found by the hash of the secret; revoked keys stay listed. */
export function createPostgresKeys(db: Db): KeyRepository {
  return {
    async findByHash(hash) {
      const [row] = await db.query<{ id: string; user_id: string; kind: KeyKind }>(
        'SELECT id, user_id, kind FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
      return row ? { keyId: row.id, userId: row.user_id, kind: row.kind } : null;
    },
    async insert(key, now) {
      await db.query('INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, now.getTime()]);
    },
    async list() {
      const rows = await db.query<KeyRow>(
        `SELECT k.id, k.user_id, u.name AS user_name, k.kind, k.label, k.prefix, k.created_at, k.revoked_at
         FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id COLLATE "C"`);
      return rows.map(toKeyInfo);
    },
    async revoke(id, now) {
      // Announced, so every instance forgets the keys it has cached at once.
      const rows = await db.query(
        `WITH w AS (UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id)
         SELECT pg_notify('${CHANGES_CHANNEL}', '{"kind":"accounts"}') FROM w`, [now.getTime(), id]);
      return rows.length > 0;
    },
  };
}
