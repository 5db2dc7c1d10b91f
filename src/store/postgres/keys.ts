import type { PoolClient } from 'pg';
import { pinToName } from '../../domain/keys';
import type { AnswerCount, KeyRepository, KeyUse } from '../../domain/key-repository';
import type { Db } from './db';
import { ANNOUNCE_ACCOUNTS } from './db';
import { FOUND_KEY_COLUMNS, KEY_INFO_COLUMNS, scopesToColumn, toFoundKey, toKeyInfo } from '../rows';
import type { FoundKeyRow, KeyRow } from '../rows';

/** Answers summed per (day, key, representation) and sorted: an upsert may touch a row once, and two instances lock rows in one order. */
function merged(answers: AnswerCount[]): AnswerCount[] {
  const rows = new Map<string, AnswerCount>();
  for (const a of answers) {
    const key = `${a.day}\u0000${a.keyId}\u0000${a.representation}`;
    const seen = rows.get(key);
    rows.set(key, seen ? { ...seen, count: seen.count + a.count } : a);
  }
  return [...rows.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, a]) => a);
}

/** One flush, in the caller's transaction: last uses, then answer counts added to the stored ones, then old days dropped. */
async function writeFlush(client: PoolClient, uses: KeyUse[], answers: AnswerCount[], forgetBefore: string | undefined): Promise<void> {
  const latest = new Map<string, number>();
  for (const u of uses) latest.set(u.id, Math.max(latest.get(u.id) ?? -Infinity, u.at.getTime()));
  const ids = [...new Set([...latest.keys(), ...answers.map((a) => a.keyId)])];
  // Rows locked in id order first: two instances flushing the same keys queue up instead of deadlocking.
  if (ids.length > 0) await client.query('SELECT id FROM api_keys WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR NO KEY UPDATE', [ids]);
  if (latest.size > 0) {
    await client.query(
      `UPDATE api_keys k SET last_used_at = u.at FROM unnest($1::text[], $2::bigint[]) AS u(id, at)
       WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`, [[...latest.keys()], [...latest.values()]]);
  }
  const rows = merged(answers);
  if (rows.length > 0) {
    // Each process adds what it counted (count + delta): N instances flushing one key's day count each answer once.
    await client.query(
      `INSERT INTO key_usage_daily AS d (day, key_id, representation, answers)
       SELECT u.day, u.key_id, u.representation, u.n FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(day, key_id, representation, n)
       WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.id = u.key_id)
       ON CONFLICT (day, key_id, representation) DO UPDATE SET answers = d.answers + excluded.answers`,
      [rows.map((a) => a.day), rows.map((a) => a.keyId), rows.map((a) => a.representation), rows.map((a) => a.count)]);
  }
  if (forgetBefore !== undefined) await client.query('DELETE FROM key_usage_daily WHERE day < $1', [forgetBefore]);
}

/** API keys in PostgreSQL, found by the hash of the secret; revoked keys stay listed. */
export function createPostgresKeys(db: Db): KeyRepository {
  return {
    async findByHash(hash) {
      const [row] = await db.query<FoundKeyRow>(`SELECT ${FOUND_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [hash]);
      return row ? toFoundKey(row) : null;
    },
    async insert(key, now) {
      await db.query(
        'INSERT INTO api_keys (id, key_hash, user_id, kind, label, prefix, scopes, pin, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [key.id, key.hash, key.userId, key.kind, key.label, key.prefix ?? null, scopesToColumn(key.scopes), pinToName(key.pin), key.expiresAt?.getTime() ?? null, now.getTime()]);
    },
    async list() {
      const rows = await db.query<KeyRow>(`SELECT ${KEY_INFO_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id COLLATE "C"`);
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
    async setPin(id, pin) {
      // Announced like a revocation: every instance drops the key it remembers, and reads the new pin.
      const rows = await db.query(
        `WITH w AS (UPDATE api_keys SET pin = $1 WHERE id = $2 AND kind = 'partner' AND revoked_at IS NULL RETURNING id)
         SELECT ${ANNOUNCE_ACCOUNTS} FROM w`, [pinToName(pin), id]);
      return rows.length > 0;
    },
    async recordUse(uses, counts) {
      const answers = counts?.answers ?? [];
      if (uses.length === 0 && answers.length === 0 && counts?.forgetBefore === undefined) return;
      await db.transaction((client) => writeFlush(client, uses, answers, counts?.forgetBefore));
    },
    async usage(fromDay) {
      const rows = await db.query<{ key_id: string; representation: string; answers: number }>(
        `SELECT key_id, representation, SUM(answers)::bigint AS answers FROM key_usage_daily WHERE day >= $1
         GROUP BY key_id, representation ORDER BY key_id COLLATE "C", representation COLLATE "C"`, [fromDay]);
      return rows.map((r) => ({ keyId: r.key_id, representation: r.representation, answers: r.answers }));
    },
  };
}
