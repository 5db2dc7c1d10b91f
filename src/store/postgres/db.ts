import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { StoreChange } from '../../domain/repository';

/** The channel every instance LISTENs on for StoreChange announcements. */
export const CHANGES_CHANNEL = 'facet_changes';

/** A pool plus the two ways the repositories use it. */
export interface Db {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}

/** The SQL that announces a change; run inside the writing transaction, it is delivered on commit. */
export const notify = (change: StoreChange): [string, unknown[]] => ['SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(change)]];

/**
 * The select-list term that announces `accounts` once per changed row, for one-statement writes:
 * `WITH w AS (UPDATE … RETURNING …) SELECT ${ANNOUNCE_ACCOUNTS} FROM w` announces only when it changed something.
 */
export const ANNOUNCE_ACCOUNTS = `pg_notify('${CHANGES_CHANNEL}', '{"kind":"accounts"}')`;

/** Wraps a pool. */
export function createDb(pool: Pool): Db {
  return {
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => { broken = rollbackErr; });
        throw err;
      } finally {
        // A connection that failed to roll back is discarded, not returned to the pool.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
  };
}
