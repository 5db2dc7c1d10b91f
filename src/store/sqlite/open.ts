import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../../domain/repository';
import { StoreStartupError } from '../../domain/store-errors';
import { translateErrors } from '../wrap-methods';
import { retryWhileBusy } from './busy-retry';
import { createSqliteClicks } from './clicks';
import { createSqliteCredentials } from './credentials';
import { translateSqliteError } from './errors';
import { createSqliteKeys } from './keys';
import { createSqliteLinks } from './links';
import { migrate } from './migrations';
import { createSqliteUsers } from './users';
import { READ_TABLES } from '../rows';

/** How long opening and migrating waits for another process's lock: start-up may wait, requests never do. */
const STARTUP_BUSY_TIMEOUT_MS = 5000;

/** Creates the folder and file owner-only (0700 / 0600): they hold key hashes and e-mail addresses. */
function createPrivately(dataDir: string, file: string): void {
  if (!fs.existsSync(dataDir)) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // SQLite gives the -wal and -shm files the main file's mode.
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
}

function open(file: string): Database.Database {
  try {
    const db = new Database(file);
    db.pragma(`busy_timeout = ${STARTUP_BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL is durable against process crashes; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    // From here on a held lock fails at once and is retried on timers (busy-retry.ts).
    db.pragma('busy_timeout = 0');
    return db;
  } catch (err) {
    if (err instanceof StoreStartupError) throw err;
    throw new StoreStartupError(`cannot open the SQLite database ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The embedded store: `<dataDir>/facet.db` in WAL mode, created owner-only and migrated; no caches. */
export function openSqliteStore(dataDir: string): Store {
  const file = path.join(path.resolve(dataDir), 'facet.db');
  try {
    createPrivately(dataDir, file);
  } catch (err) {
    throw new StoreStartupError(`cannot create the SQLite database ${file}: ${(err as Error).message}`, { cause: err });
  }
  const db = open(file);
  const anyLink = db.prepare('SELECT 1 FROM links LIMIT 1');
  // Readiness reads a row of every table requests read and commits a write, so a file that can
  // no longer be written, a corrupt table or a lock held by another process all make it fail.
  // Prepared once: SQLite re-checks the schema on every run, so a table dropped since fails the probe.
  const reads = READ_TABLES.map((table) => db.prepare(`SELECT * FROM ${table} LIMIT 1`));
  const beat = db.prepare('INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
  const probe = db.transaction((now: number) => {
    for (const read of reads) read.get();
    beat.run(now);
  });
  const guard = <T extends object>(repo: T) => translateErrors(retryWhileBusy(repo), translateSqliteError);
  const lifecycle = guard({
    async isEmpty() {
      return anyLink.get() === undefined;
    },
    async ping() {
      probe.immediate(Date.now());
    },
  });
  return {
    kind: 'sqlite',
    links: guard(createSqliteLinks(db)),
    keys: guard(createSqliteKeys(db)),
    users: guard(createSqliteUsers(db)),
    credentials: guard(createSqliteCredentials(db)),
    clicks: guard(createSqliteClicks(db)),
    isEmpty: lifecycle.isEmpty,
    ping: lifecycle.ping,
    async close() {
      if (db.open) db.close();
    },
  };
}
