import type Database from 'better-sqlite3';
import { StoreStartupError } from '../../domain/store-errors';

/** Ordered schema changes; a migration, once released, is never edited — add a new one. */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'users, keys, teams, links, clicks',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        avatar_url TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'partner')),
        label TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE team_members (
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (team_id, user_id)
      );
      CREATE TABLE links (
        row_id INTEGER PRIMARY KEY AUTOINCREMENT,
        code TEXT NOT NULL UNIQUE,
        owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1,
        click_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX links_owner_newest ON links (owner_id, created_at DESC, row_id DESC);
      CREATE TABLE clicks (
        id INTEGER PRIMARY KEY,
        link_row_id INTEGER NOT NULL REFERENCES links(row_id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        device TEXT NOT NULL,
        country TEXT NOT NULL,
        referrer TEXT
      );
      CREATE INDEX clicks_link_time ON clicks (link_row_id, at);
    `,
  },
  {
    version: 2,
    name: 'daily click roll-ups',
    // Analytics read these per (link, UTC day, dimension, value) and never scan raw clicks.
    sql: `
      CREATE TABLE click_daily (
        link_row_id INTEGER NOT NULL REFERENCES links(row_id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        dimension TEXT NOT NULL CHECK (dimension IN ('total', 'device', 'country', 'referrer')),
        value TEXT NOT NULL,
        clicks INTEGER NOT NULL,
        PRIMARY KEY (link_row_id, day, dimension, value)
      ) WITHOUT ROWID;
      INSERT INTO click_daily (link_row_id, day, dimension, value, clicks)
        SELECT link_row_id, strftime('%Y-%m-%d', at / 1000, 'unixepoch'), 'total', '', COUNT(*) FROM clicks GROUP BY 1, 2
        UNION ALL
        SELECT link_row_id, strftime('%Y-%m-%d', at / 1000, 'unixepoch'), 'device', device, COUNT(*) FROM clicks GROUP BY 1, 2, 4
        UNION ALL
        SELECT link_row_id, strftime('%Y-%m-%d', at / 1000, 'unixepoch'), 'country', country, COUNT(*) FROM clicks GROUP BY 1, 2, 4
        UNION ALL
        SELECT link_row_id, strftime('%Y-%m-%d', at / 1000, 'unixepoch'), 'referrer', COALESCE(referrer, ''), COUNT(*) FROM clicks GROUP BY 1, 2, 4;
    `,
  },
  {
    version: 3,
    name: 'key prefixes for listing',
    // The first characters of a key identify it in `npm run keys -- list` without revealing it.
    sql: `ALTER TABLE api_keys ADD COLUMN prefix TEXT;`,
  },
  {
    version: 4,
    name: 'readiness heartbeat',
    // /readyz writes this row: a store that can no longer take writes is not ready.
    sql: `CREATE TABLE heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);`,
  },
  // Version 5 is PostgreSQL's shared rate-limit windows; SQLite (one process) has none.
  {
    version: 6,
    name: 'passwords, sessions, token families, key scopes and expiry',
    // E-mails are unique case-insensitively; a user without a password cannot sign in. Revoked
    // sessions, families and tokens stay (revoked_at) so a replay of one is recognised.
    sql: `
      ALTER TABLE users ADD COLUMN password_hash TEXT;
      CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
      ALTER TABLE api_keys ADD COLUMN scopes TEXT;
      ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
      ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE token_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX token_families_user ON token_families (user_id);
      CREATE TABLE refresh_tokens (
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
        generation INTEGER NOT NULL,
        salt TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        retired_at INTEGER,
        UNIQUE (family_id, generation)
      );
      CREATE TABLE access_tokens (
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX access_tokens_family ON access_tokens (family_id);
      CREATE INDEX access_tokens_user ON access_tokens (user_id);
    `,
  },
  {
    version: 7,
    name: 'key pins and per-representation key usage',
    // A partner key's pin: the short name of the frozen contract generic Accept stands for (NULL:
    // the default). Answers per UTC day, key and representation, added to by every process's flush.
    sql: `
      ALTER TABLE api_keys ADD COLUMN pin TEXT;
      CREATE TABLE key_usage_daily (
        day TEXT NOT NULL,
        key_id TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        representation TEXT NOT NULL,
        answers INTEGER NOT NULL,
        PRIMARY KEY (day, key_id, representation)
      ) WITHOUT ROWID;
    `,
  },
];

/** The newest schema version this code knows. */
export const LATEST_VERSION = Math.max(...migrations.map((m) => m.version));

/**
 * Applies every migration newer than the database's recorded version, each in its own immediate
 * transaction that re-reads the version, so two processes starting together apply each once.
 * Refuses a database written by a newer Facet: this code would misread what it does not know.
 */
export function migrate(db: Database.Database, file: string): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const currentVersion = () => (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const found = currentVersion();
  if (found > LATEST_VERSION) {
    throw new StoreStartupError(`${file} has schema version ${found}, written by a newer Facet; this one knows up to version ${LATEST_VERSION}. Run the newer Facet, or restore a backup.`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const apply = db.transaction((m: (typeof migrations)[number]) => {
    if (m.version <= currentVersion()) return 0;
    db.exec(m.sql);
    record.run(m.version, m.name, Date.now());
    return 1;
  });
  return migrations.reduce((applied, m) => applied + (m.version <= found ? 0 : apply.immediate(m)), 0);
}
