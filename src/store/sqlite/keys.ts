import type Database from 'better-sqlite3';
import type { KeyRepository } from '../../domain/repository';
import type { KeyKind } from '../../domain/types';
import { scopesFromColumn, scopesToColumn, toKeyInfo } from '../rows';
import type { KeyRow } from '../rows';

/** API keys in SQLite, found by the hash of the secret; revoked keys stay listed. */
export function createSqliteKeys(db: Database.Database): KeyRepository {
  const q = {
    byHash: db.prepare<[string], { id: string; user_id: string; kind: KeyKind; scopes: string | null; expires_at: number | null }>(
      'SELECT id, user_id, kind, scopes, expires_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL'),
    insert: db.prepare(
      'INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, scopes, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    list: db.prepare<[], KeyRow>(
      `SELECT k.id, k.user_id, u.name AS user_name, k.kind, k.label, k.prefix, k.scopes, k.created_at, k.last_used_at, k.expires_at, k.revoked_at
       FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id`),
    revoke: db.prepare<[number, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    expire: db.prepare<[number, string, number]>(
      'UPDATE api_keys SET expires_at = ? WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)'),
    used: db.prepare<[number, string, number]>(
      'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
  };
  const recordUse = db.transaction((uses: { id: string; at: Date }[]) => {
    for (const u of uses) q.used.run(u.at.getTime(), u.id, u.at.getTime());
  });
  return {
    async findByHash(hash) {
      const row = q.byHash.get(hash);
      if (!row) return null;
      return { keyId: row.id, userId: row.user_id, kind: row.kind, scopes: scopesFromColumn(row.scopes), expiresAt: row.expires_at === null ? null : new Date(row.expires_at) };
    },
    async insert(key, now) {
      q.insert.run(key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, scopesToColumn(key.scopes), key.expiresAt?.getTime() ?? null, now.getTime());
    },
    async list() {
      return q.list.all().map(toKeyInfo);
    },
    async revoke(id, now) {
      return q.revoke.run(now.getTime(), id).changes > 0;
    },
    async expire(id, at) {
      return q.expire.run(at.getTime(), id, at.getTime()).changes > 0;
    },
    async recordUse(uses) {
      if (uses.length > 0) recordUse.immediate(uses);
    },
  };
}
