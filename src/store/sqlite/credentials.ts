import type Database from 'better-sqlite3';
import type { CredentialRepository } from '../../domain/repository';
import type { User } from '../../domain/types';
import { toSession } from '../rows';
import type { SessionRow } from '../rows';
import { createSqliteTokenFamilies } from './token-families';

/** Passwords, web sessions and token families in SQLite; every multi-row write is one immediate transaction. */
export function createSqliteCredentials(db: Database.Database): CredentialRepository {
  const q = {
    login: db.prepare<[string], { id: string; password_hash: string }>(
      'SELECT id, password_hash FROM users WHERE lower(email) = ? AND password_hash IS NOT NULL'),
    passwordOf: db.prepare<[string], { password_hash: string | null }>('SELECT password_hash FROM users WHERE id = ?'),
    emailTaken: db.prepare<[string], { taken: number }>('SELECT 1 AS taken FROM users WHERE lower(email) = lower(?)'),
    insertUser: db.prepare<[string, string, string, string | null, number, string]>(
      'INSERT INTO users (id, name, email, avatar_url, created_at, password_hash) VALUES (?, ?, ?, ?, ?, ?)'),
    setHash: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
    revokeSessionsOf: db.prepare<[number, string]>('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    revokeFamiliesOf: db.prepare<[number, string]>('UPDATE token_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    revokeAccessOf: db.prepare<[number, string]>('UPDATE access_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    insertSession: db.prepare<[string, string, number, number]>(
      'INSERT INTO sessions (hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)'),
    session: db.prepare<[string], SessionRow>(
      'SELECT hash, user_id, created_at, last_seen_at FROM sessions WHERE hash = ? AND revoked_at IS NULL'),
    touch: db.prepare<[number, string, number]>(
      'UPDATE sessions SET last_seen_at = ? WHERE hash = ? AND revoked_at IS NULL AND last_seen_at < ?'),
    revokeSession: db.prepare<[number, string]>('UPDATE sessions SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL'),
  };
  // The check and the insert share one write lock: no other process can take the address in between.
  const createAccount = db.transaction((user: User, passwordHash: string) => {
    if (q.emailTaken.get(user.email)) return false;
    q.insertUser.run(user.id, user.name, user.email, user.avatarUrl, user.createdAt.getTime(), passwordHash);
    return true;
  });
  const setPassword = db.transaction((userId: string, passwordHash: string, now: number) => {
    q.setHash.run(passwordHash, userId);
    q.revokeSessionsOf.run(now, userId);
    q.revokeFamiliesOf.run(now, userId);
    q.revokeAccessOf.run(now, userId);
  });
  return {
    async findLogin(email) {
      const row = q.login.get(email);
      return row ? { userId: row.id, passwordHash: row.password_hash } : null;
    },
    async passwordOf(userId) {
      return q.passwordOf.get(userId)?.password_hash ?? null;
    },
    async createAccount(user, passwordHash) {
      return createAccount.immediate(user, passwordHash);
    },
    async setPassword(userId, passwordHash, now) {
      setPassword.immediate(userId, passwordHash, now.getTime());
    },
    async insertSession(session) {
      q.insertSession.run(session.hash, session.userId, session.createdAt.getTime(), session.lastSeenAt.getTime());
    },
    async findSession(hash) {
      const row = q.session.get(hash);
      return row ? toSession(row) : null;
    },
    async touchSession(hash, at) {
      q.touch.run(at.getTime(), hash, at.getTime());
    },
    async revokeSession(hash, now) {
      return q.revokeSession.run(now.getTime(), hash).changes > 0;
    },
    ...createSqliteTokenFamilies(db),
  };
}
