import pg from 'pg';
import type { ClientConfig, PoolConfig } from 'pg';
import type { Store, StoreChange } from '../../domain/repository';
import { StoreStartupError } from '../../domain/store-errors';
import { translateErrors } from '../wrap-methods';
import { listenForChanges } from './change-feed';
import { createPostgresClicks } from './clicks';
import { createPostgresCredentials } from './credentials';
import { createDb } from './db';
import { describeStartupFailure, translatePgError } from './errors';
import { createPostgresKeys } from './keys';
import { createPostgresLinks } from './links';
import { migrate } from './migrations';
import { READ_TABLES } from '../rows';
import { createPostgresRateLimits } from './rate-limits';
import { createPostgresUsers } from './users';

/** How to reach the server, and what to run once per database at start-up. */
export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Server-side statement_timeout; the client gives up a second later (a server that no longer answers). */
  statementTimeoutMs: number;
  /** Run once per database under the start-up lock, after migrations (demo data). */
  startup?: (store: Store) => Promise<void>;
  log?: (message: string, err: unknown) => void;
}

/** How long a request waits for a connection before answering 503: "within a few seconds", never a hang. */
export const CONNECT_TIMEOUT_MS = 2000;
/** One key for every Facet instance: migrations and demo data run under it, one instance at a time. */
const STARTUP_LOCK = 0x4661_6365; // "Face"
const INT8 = 20;

/** host:port/database of a URL, without its credentials: safe for logs and error messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// BIGINT columns hold epoch milliseconds, row ids and counts, all far below 2^53: read them as numbers.
const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };

function clientConfig(options: PostgresOptions): ClientConfig {
  return {
    connectionString: options.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1000,
    idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
    keepAlive: true,
    application_name: 'facet',
    types,
  };
}

/** Migrates and runs the start-up task while holding the advisory lock on a connection of its own. */
async function underStartupLock(config: ClientConfig, where: string, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = new pg.Client({ ...config, statement_timeout: 0, query_timeout: undefined });
  client.on('error', () => undefined);
  // A role or database that is missing, or a schema the role may not write, is named with its fix.
  const target = { where, role: client.user ?? '', database: client.database ?? '' };
  const failed = (doing: string, err: unknown) =>
    err instanceof StoreStartupError ? err : new StoreStartupError(describeStartupFailure(err, target) ?? `${doing} PostgreSQL at ${where}: ${(err as Error).message}`, { cause: err });
  try {
    await client.connect();
  } catch (err) {
    throw failed('cannot reach', err);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    await work(client as unknown as pg.PoolClient);
  } catch (err) {
    throw failed('cannot prepare', err);
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** The shared store: a pool on DATABASE_URL, migrated under an advisory lock, announcing every write. */
export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const log = options.log ?? (() => undefined);
  const where = describeDatabase(options.url);
  const config = clientConfig(options);
  const pool = new pg.Pool({ ...config, max: options.poolSize, idleTimeoutMillis: 10_000 } satisfies PoolConfig);
  // A pooled connection the server drops while idle must not take the process down.
  pool.on('error', (err) => log('idle PostgreSQL connection failed', err));
  const db = createDb(pool);
  const guard = <T extends object>(repo: T) => translateErrors(repo, translatePgError);
  const listeners: ((change: StoreChange) => void)[] = [];
  const lifecycle = guard({
    async isEmpty() {
      return (await db.query('SELECT 1 FROM links LIMIT 1')).length === 0;
    },
    async ping() {
      // As in SQLite: read every table requests read, and commit a write.
      await db.transaction(async (client) => {
        for (const table of READ_TABLES) await client.query(`SELECT * FROM ${table} LIMIT 1`);
        await client.query('INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]);
      });
    },
  });
  const store: Store = {
    kind: 'postgres',
    links: guard(createPostgresLinks(db)),
    keys: guard(createPostgresKeys(db)),
    users: guard(createPostgresUsers(db)),
    credentials: guard(createPostgresCredentials(db)),
    clicks: guard(createPostgresClicks(db)),
    rateLimits: guard(createPostgresRateLimits(db)),
    subscribe: (listener) => { listeners.push(listener); },
    isEmpty: lifecycle.isEmpty,
    ping: lifecycle.ping,
    close: async () => undefined,
  };
  try {
    await underStartupLock(config, where, async (client) => {
      await migrate(client, where);
      await options.startup?.(store);
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err instanceof StoreStartupError ? err : new StoreStartupError(`cannot prepare PostgreSQL at ${where}: ${(err as Error).message}`, { cause: err });
  }
  const feed = listenForChanges(config, (change) => { for (const l of listeners) l(change); }, log);
  // Writes made as soon as the store is open must already reach this instance's listeners.
  await feed.ready;
  store.close = async () => {
    await feed.close();
    await pool.end();
  };
  return store;
}
