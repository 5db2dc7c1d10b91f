import type { PoolClient } from 'pg';
import type { AccessTokenRecord, CredentialRepository, RefreshTokenRecord, RotationStep } from '../../domain/repository';
import type { Db } from './db';
import { ANNOUNCE_ACCOUNTS, notify } from './db';
import { toAccessToken, toFamily, toRefreshToken } from '../rows';
import type { AccessRow, FamilyRow, RefreshRow } from '../rows';

/** The token-family half of the credential repository. */
export type TokenFamilies = Pick<CredentialRepository, 'insertFamily' | 'findAccessToken' | 'rotateRefreshToken' | 'revokeFamilyOf' | 'revokeAccessToken'>;

const REFRESH = 'SELECT hash, family_id, generation, salt, issued_at, retired_at FROM refresh_tokens WHERE hash = $1';

const insertRefresh = (client: PoolClient, r: RefreshTokenRecord) => client.query(
  'INSERT INTO refresh_tokens (hash, family_id, generation, salt, issued_at, retired_at) VALUES ($1, $2, $3, $4, $5, $6)',
  [r.hash, r.familyId, r.generation, r.salt, r.issuedAt.getTime(), r.retiredAt?.getTime() ?? null]);

const insertAccess = (client: PoolClient, a: AccessTokenRecord) => client.query(
  'INSERT INTO access_tokens (hash, family_id, user_id, expires_at) VALUES ($1, $2, $3, $4)',
  [a.hash, a.familyId, a.userId, a.expiresAt.getTime()]);

/** Revokes a family and its access tokens (the family row first, as a rotation locks it); true when the family was live. */
async function revokeFamily(client: PoolClient, familyId: string, now: number): Promise<boolean> {
  const { rowCount } = await client.query('UPDATE token_families SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, familyId]);
  await client.query('UPDATE access_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL', [now, familyId]);
  return (rowCount ?? 0) > 0;
}

/** Applies what `decide` chose to the family locked by the caller. */
async function apply(client: PoolClient, step: RotationStep, presented: string, familyId: string, now: number): Promise<void> {
  if (step.kind === 'rotate') {
    await client.query('UPDATE refresh_tokens SET retired_at = $1 WHERE hash = $2', [now, presented]);
    await insertRefresh(client, step.successor);
    await client.query('UPDATE token_families SET generation = $1, last_used_at = $2 WHERE id = $3', [step.successor.generation, now, familyId]);
    await insertAccess(client, step.access);
  } else if (step.kind === 'replay') {
    await insertAccess(client, step.access);
    await client.query('UPDATE token_families SET last_used_at = $1 WHERE id = $2', [now, familyId]);
  } else if (step.kind === 'revoke-family') {
    await revokeFamily(client, familyId, now);
    await client.query(...notify({ kind: 'accounts' }));
  }
}

/**
 * Refresh-token families in PostgreSQL. A rotation locks its family row (FOR UPDATE) before it
 * decides, so rotations of one family queue up across every instance, each seeing the last one's result.
 */
export function createPostgresTokenFamilies(db: Db): TokenFamilies {
  return {
    async insertFamily(family, refresh, access) {
      await db.transaction(async (client) => {
        await client.query('INSERT INTO token_families (id, user_id, created_at, last_used_at, generation, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [family.id, family.userId, family.createdAt.getTime(), family.lastUsedAt.getTime(), family.generation, family.revokedAt?.getTime() ?? null]);
        await insertRefresh(client, refresh);
        await insertAccess(client, access);
      });
    },
    async findAccessToken(hash) {
      const [row] = await db.query<AccessRow>(
        `SELECT a.hash, a.family_id, a.user_id, a.expires_at FROM access_tokens a JOIN token_families f ON f.id = a.family_id
         WHERE a.hash = $1 AND a.revoked_at IS NULL AND f.revoked_at IS NULL`, [hash]);
      return row ? toAccessToken(row) : null;
    },
    async rotateRefreshToken(hash, decide, now) {
      return db.transaction(async (client) => {
        const { rows: [first] } = await client.query<RefreshRow>(REFRESH, [hash]);
        const { rows: [family] } = first
          ? await client.query<FamilyRow>('SELECT id, user_id, created_at, last_used_at, generation, revoked_at FROM token_families WHERE id = $1 FOR UPDATE', [first.family_id])
          : { rows: [] };
        // Read again under the lock: a rotation that committed while this one waited is seen.
        const { rows: [token] } = family ? await client.query<RefreshRow>(REFRESH, [hash]) : { rows: [] };
        const step = decide(token ? toRefreshToken(token) : null, family ? toFamily(family) : null);
        if (step.kind === 'refuse') return step;
        if (!token || !family) throw new Error(`a ${step.kind} step needs a known refresh token and family`);
        await apply(client, step, hash, family.id, now.getTime());
        return step;
      });
    },
    async revokeFamilyOf(refreshHash, now) {
      return db.transaction(async (client) => {
        const { rows: [token] } = await client.query<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE hash = $1', [refreshHash]);
        if (!token || !(await revokeFamily(client, token.family_id, now.getTime()))) return false;
        await client.query(...notify({ kind: 'accounts' }));
        return true;
      });
    },
    async revokeAccessToken(hash, now) {
      const rows = await db.query(
        `WITH w AS (UPDATE access_tokens SET revoked_at = $1 WHERE hash = $2 AND revoked_at IS NULL RETURNING hash)
         SELECT ${ANNOUNCE_ACCOUNTS} FROM w`, [now.getTime(), hash]);
      return rows.length > 0;
    },
  };
}
