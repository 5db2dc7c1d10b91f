import type { CredentialRepository } from '../../domain/repository';
import type { Db } from './db';
import { ANNOUNCE_ACCOUNTS, notify } from './db';
import { isUniqueViolation } from './errors';
import { toSession } from '../rows';
import type { SessionRow } from '../rows';
import { createPostgresTokenFamilies } from './token-families';

// The unique indexes on an address: the exact one of version 1, the case-insensitive one of version 6.
const EMAIL_INDEXES = new Set(['users_email_key', 'users_email_lower']);

/**
 * Passwords, web sessions and token families in PostgreSQL; the same rules as SQLite, checked by one
 * contract suite. Every revocation is announced in its own statement or transaction, so other
 * instances drop the credentials they remember as it commits.
 */
export function createPostgresCredentials(db: Db): CredentialRepository {
  const accounts = notify({ kind: 'accounts' });
  return {
    async findLogin(email) {
      const [row] = await db.query<{ id: string; password_hash: string }>(
        'SELECT id, password_hash FROM users WHERE lower(email) = $1 AND password_hash IS NOT NULL', [email]);
      return row ? { userId: row.id, passwordHash: row.password_hash } : null;
    },
    async passwordOf(userId) {
      const [row] = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [userId]);
      return row?.password_hash ?? null;
    },
    async createAccount(user, passwordHash) {
      try {
        const rows = await db.query(
          `WITH w AS (
             INSERT INTO users (id, name, email, avatar_url, created_at, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT ((lower(email))) DO NOTHING RETURNING id)
           SELECT ${ANNOUNCE_ACCOUNTS} FROM w`,
          [user.id, user.name, user.email, user.avatarUrl, user.createdAt.getTime(), passwordHash]);
        return rows.length > 0;
      } catch (err) {
        // Two sign-ups racing for one address: the later may meet the exact index before the arbiter.
        // A taken id is another conflict, and stays one.
        if (isUniqueViolation(err) && EMAIL_INDEXES.has((err as { constraint?: string }).constraint ?? '')) return false;
        throw err;
      }
    },
    async setPassword(userId, passwordHash, now) {
      await db.transaction(async (client) => {
        const at = now.getTime();
        await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId]);
        // Families before their access tokens, the order a rotation locks them in: no deadlock.
        await client.query('UPDATE token_families SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [at, userId]);
        await client.query('UPDATE access_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [at, userId]);
        await client.query('UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [at, userId]);
        await client.query(...accounts);
      });
    },
    async insertSession(session) {
      await db.query('INSERT INTO sessions (hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)',
        [session.hash, session.userId, session.createdAt.getTime(), session.lastSeenAt.getTime()]);
    },
    async findSession(hash) {
      const [row] = await db.query<SessionRow>(
        'SELECT hash, user_id, created_at, last_seen_at FROM sessions WHERE hash = $1 AND revoked_at IS NULL', [hash]);
      return row ? toSession(row) : null;
    },
    async touchSession(hash, at) {
      await db.query('UPDATE sessions SET last_seen_at = $1 WHERE hash = $2 AND revoked_at IS NULL AND last_seen_at < $1', [at.getTime(), hash]);
    },
    async revokeSession(hash, now) {
      const rows = await db.query(
        `WITH w AS (UPDATE sessions SET revoked_at = $1 WHERE hash = $2 AND revoked_at IS NULL RETURNING hash)
         SELECT ${ANNOUNCE_ACCOUNTS} FROM w`, [now.getTime(), hash]);
      return rows.length > 0;
    },
    ...createPostgresTokenFamilies(db),
  };
}
