import type Database from 'better-sqlite3';
import type { KeyRepository } from '../../domain/repository';
import type { KeyKind } from '../../domain/types';
import { toKeyInfo } from '../rows';
import type { KeyRow } from '../rows';

/** API keys in SQLite, found by the hash of the secret; revoked keys stay listed. */
export function createSqliteKeys(db: Database.Database): KeyRepository {
  const q = {
    byHash: db.prepare<[string], { id: string; user_id: string; kind: KeyKind }>(
      'SELECT id, user_id, kind FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL'),
    insert: db.prepare('INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    list: db.prepare<[], KeyRow>(
      'SELECT k.id, k.user_id, u.name AS user_name, k.kind, k.label, k.prefix, k.created_at, k.revoked_at FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id'),
    revoke: db.prepare<[number, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
  };
  return {
    async findByHash(hash) {
      const row = q.byHash.get(hash);
      return row ? { keyId: row.id, userId: row.user_id, kind: row.kind } : null;
    },
    async insert(key, now) {
      q.insert.run(key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, now.getTime());
    },
    async list() {
      return q.list.all().map(toKeyInfo);
    },
    async revoke(id, now) {
      return q.revoke.run(now.getTime(), id).changes > 0;
    },
  };
}
