import type { Store } from '../domain/repository';
import { cacheHotReads, HOT_READ_TTL_MS } from './hot-read-cache';
import { openPostgresStore } from './postgres/open';
import type { PostgresOptions } from './postgres/open';
import { openSqliteStore } from './sqlite/open';

/** Where the data lives: a PostgreSQL server when `databaseUrl` is set, else the SQLite file in `dataDir`. */
export interface StoreConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  pgPoolSize: number;
  pgStatementTimeoutMs: number;
}

/** Work done once per database at start-up (demo data), under the store's migration lock. */
export type StartupTask = (store: Store) => Promise<void>;

const cached = (store: Store) => cacheHotReads(store, { ttlMs: HOT_READ_TTL_MS, max: 10_000 });

/** The embedded SQLite store with its hot-read caches; synchronous, for tests and tools. */
export function createSqliteStore(dataDir: string): Store {
  return cached(openSqliteStore(dataDir));
}

/** Opens the configured store, migrated, with `startup` run once, and applies the hot-read caches. */
export async function createStore(config: StoreConfig, startup?: StartupTask): Promise<Store> {
  if (config.databaseUrl) {
    const options: PostgresOptions = { url: config.databaseUrl, poolSize: config.pgPoolSize, statementTimeoutMs: config.pgStatementTimeoutMs, startup };
    return cached(await openPostgresStore(options));
  }
  const store = openSqliteStore(config.dataDir);
  await startup?.(store);
  return cached(store);
}
