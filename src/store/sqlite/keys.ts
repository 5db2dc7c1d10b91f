import type Database from 'better-sqlite3';
import { pinToName } from '../../domain/keys';
import type { AnswerCount, KeyRepository, KeyUse, KeyUsageTotal } from '../../domain/key-repository';
import { FOUND_KEY_COLUMNS, KEY_INFO_COLUMNS, scopesToColumn, toFoundKey, toKeyInfo } from '../rows';
import type { FoundKeyRow, KeyRow } from '../rows';

/** API keys in SQLite, found by the hash of the secret; revoked keys stay listed. */
export function createSqliteKeys(db: Database.Database): KeyRepository {
  const q = {
    byHash: db.prepare<[string], FoundKeyRow>(`SELECT ${FOUND_KEY_COLUMNS} FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`),
    insert: db.prepare(
      'INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, scopes, pin, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    list: db.prepare<[], KeyRow>(`SELECT ${KEY_INFO_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id`),
    revoke: db.prepare<[number, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    expire: db.prepare<[number, string, number]>(
      'UPDATE api_keys SET expires_at = ? WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)'),
    pin: db.prepare<[string | null, string]>("UPDATE api_keys SET pin = ? WHERE id = ? AND kind = 'partner' AND revoked_at IS NULL"),
    used: db.prepare<[number, string, number]>(
      'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
    // Added to what is stored (another process may have counted the same key and day); unknown keys are skipped.
    count: db.prepare<[string, string, number, string]>(
      `INSERT INTO key_usage_daily (day, key_id, representation, answers) SELECT ?, id, ?, ? FROM api_keys WHERE id = ?
       ON CONFLICT (day, key_id, representation) DO UPDATE SET answers = answers + excluded.answers`),
    forget: db.prepare<[string]>('DELETE FROM key_usage_daily WHERE day < ?'),
    usage: db.prepare<[string], { key_id: string; representation: string; answers: number }>(
      `SELECT key_id, representation, SUM(answers) AS answers FROM key_usage_daily WHERE day >= ?
       GROUP BY key_id, representation ORDER BY key_id, representation`),
  };
  const recordUse = db.transaction((uses: KeyUse[], answers: AnswerCount[], forgetBefore: string | undefined) => {
    for (const u of uses) q.used.run(u.at.getTime(), u.id, u.at.getTime());
    for (const a of answers) q.count.run(a.day, a.representation, a.count, a.keyId);
    if (forgetBefore !== undefined) q.forget.run(forgetBefore);
  });
  return {
    async findByHash(hash) {
      const row = q.byHash.get(hash);
      return row ? toFoundKey(row) : null;
    },
    async insert(key, now) {
      q.insert.run(key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, scopesToColumn(key.scopes), pinToName(key.pin), key.expiresAt?.getTime() ?? null, now.getTime());
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
    async setPin(id, pin) {
      return q.pin.run(pinToName(pin), id).changes > 0;
    },
    async recordUse(uses, counts) {
      const answers = counts?.answers ?? [];
      if (uses.length > 0 || answers.length > 0 || counts?.forgetBefore !== undefined) recordUse.immediate(uses, answers, counts?.forgetBefore);
    },
    async usage(fromDay): Promise<KeyUsageTotal[]> {
      return q.usage.all(fromDay).map((r) => ({ keyId: r.key_id, representation: r.representation, answers: r.answers }));
    },
  };
}
