import type Database from 'better-sqlite3';
import type { AccessTokenRecord, CredentialRepository, RefreshTokenRecord, RotationStep, TokenFamilyRecord } from '../../domain/repository';
import { toAccessToken, toFamily, toRefreshToken } from '../rows';
import type { AccessRow, FamilyRow, RefreshRow } from '../rows';

type Decide = (token: RefreshTokenRecord | null, family: TokenFamilyRecord | null) => RotationStep;

/** The token-family half of the credential repository. */
export type TokenFamilies = Pick<CredentialRepository, 'insertFamily' | 'findAccessToken' | 'rotateRefreshToken' | 'revokeFamilyOf' | 'revokeAccessToken'>;

/**
 * Refresh-token families in SQLite. A rotation is one immediate transaction: it holds the
 * database's write lock from its read to its commit, so no other process can rotate in between.
 */
export function createSqliteTokenFamilies(db: Database.Database): TokenFamilies {
  const q = {
    insertFamily: db.prepare<[string, string, number, number, number, number | null]>(
      'INSERT INTO token_families (id, user_id, created_at, last_used_at, generation, revoked_at) VALUES (?, ?, ?, ?, ?, ?)'),
    insertRefresh: db.prepare<[string, string, number, string, number, number | null]>(
      'INSERT INTO refresh_tokens (hash, family_id, generation, salt, issued_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)'),
    insertAccess: db.prepare<[string, string, string, number]>(
      'INSERT INTO access_tokens (hash, family_id, user_id, expires_at) VALUES (?, ?, ?, ?)'),
    access: db.prepare<[string], AccessRow>(
      `SELECT a.hash, a.family_id, a.user_id, a.expires_at FROM access_tokens a JOIN token_families f ON f.id = a.family_id
       WHERE a.hash = ? AND a.revoked_at IS NULL AND f.revoked_at IS NULL`),
    refresh: db.prepare<[string], RefreshRow>('SELECT hash, family_id, generation, salt, issued_at, retired_at FROM refresh_tokens WHERE hash = ?'),
    family: db.prepare<[string], FamilyRow>('SELECT id, user_id, created_at, last_used_at, generation, revoked_at FROM token_families WHERE id = ?'),
    retire: db.prepare<[number, string]>('UPDATE refresh_tokens SET retired_at = ? WHERE hash = ?'),
    advance: db.prepare<[number, number, string]>('UPDATE token_families SET generation = ?, last_used_at = ? WHERE id = ?'),
    used: db.prepare<[number, string]>('UPDATE token_families SET last_used_at = ? WHERE id = ?'),
    revokeFamily: db.prepare<[number, string]>('UPDATE token_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    revokeAccessOfFamily: db.prepare<[number, string]>('UPDATE access_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL'),
    revokeAccess: db.prepare<[number, string]>('UPDATE access_tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL'),
  };
  const addAccess = (a: AccessTokenRecord) => q.insertAccess.run(a.hash, a.familyId, a.userId, a.expiresAt.getTime());
  const revokeFamily = (familyId: string, now: number) => {
    const changed = q.revokeFamily.run(now, familyId).changes > 0;
    q.revokeAccessOfFamily.run(now, familyId);
    return changed;
  };
  const insertFamily = db.transaction((family: TokenFamilyRecord, refresh: RefreshTokenRecord, access: AccessTokenRecord) => {
    q.insertFamily.run(family.id, family.userId, family.createdAt.getTime(), family.lastUsedAt.getTime(), family.generation, family.revokedAt?.getTime() ?? null);
    q.insertRefresh.run(refresh.hash, refresh.familyId, refresh.generation, refresh.salt, refresh.issuedAt.getTime(), refresh.retiredAt?.getTime() ?? null);
    addAccess(access);
  });
  const rotate = db.transaction((hash: string, decide: Decide, now: number): RotationStep => {
    const tokenRow = q.refresh.get(hash);
    const familyRow = tokenRow ? q.family.get(tokenRow.family_id) : undefined;
    const step = decide(tokenRow ? toRefreshToken(tokenRow) : null, familyRow ? toFamily(familyRow) : null);
    if (step.kind === 'refuse') return step;
    if (!tokenRow || !familyRow) throw new Error(`a ${step.kind} step needs a known refresh token and family`);
    if (step.kind === 'rotate') {
      const s = step.successor;
      q.retire.run(now, hash);
      q.insertRefresh.run(s.hash, s.familyId, s.generation, s.salt, s.issuedAt.getTime(), s.retiredAt?.getTime() ?? null);
      q.advance.run(s.generation, now, familyRow.id);
      addAccess(step.access);
    } else if (step.kind === 'replay') {
      addAccess(step.access);
      q.used.run(now, familyRow.id);
    } else {
      revokeFamily(familyRow.id, now);
    }
    return step;
  });
  const revokeFamilyOf = db.transaction((refreshHash: string, now: number) => {
    const token = q.refresh.get(refreshHash);
    return token ? revokeFamily(token.family_id, now) : false;
  });
  return {
    async insertFamily(family, refresh, access) {
      insertFamily.immediate(family, refresh, access);
    },
    async findAccessToken(hash) {
      const row = q.access.get(hash);
      return row ? toAccessToken(row) : null;
    },
    async rotateRefreshToken(hash, decide, now) {
      return rotate.immediate(hash, decide, now.getTime());
    },
    async revokeFamilyOf(refreshHash, now) {
      return revokeFamilyOf.immediate(refreshHash, now.getTime());
    },
    async revokeAccessToken(hash, now) {
      return q.revokeAccess.run(now.getTime(), hash).changes > 0;
    },
  };
}
