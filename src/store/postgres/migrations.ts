import type { PoolClient } from 'pg';
import { StoreStartupError } from '../../domain/store-errors';

/**
 * The PostgreSQL schema, version for version the same as the SQLite one (src/store/sqlite/
 * migrations.ts): times are epoch milliseconds, tags a JSON text. Once released, never edited.
 */
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
        created_at BIGINT NOT NULL
      );
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'partner')),
        label TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE team_members (
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (team_id, user_id)
      );
      CREATE TABLE links (
        row_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        expires_at BIGINT,
        version INTEGER NOT NULL DEFAULT 1,
        click_count BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX links_owner_newest ON links (owner_id, created_at DESC, row_id DESC);
      CREATE TABLE clicks (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        link_row_id BIGINT NOT NULL REFERENCES links(row_id) ON DELETE CASCADE,
        at BIGINT NOT NULL,
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
    sql: `
      CREATE TABLE click_daily (
        link_row_id BIGINT NOT NULL REFERENCES links(row_id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        dimension TEXT NOT NULL CHECK (dimension IN ('total', 'device', 'country', 'referrer')),
        value TEXT NOT NULL,
        clicks BIGINT NOT NULL,
        PRIMARY KEY (link_row_id, day, dimension, value)
      );
    `,
  },
  { version: 3, name: 'key prefixes for listing', sql: 'ALTER TABLE api_keys ADD COLUMN prefix TEXT;' },
  { version: 4, name: 'readiness heartbeat', sql: 'CREATE TABLE heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at BIGINT NOT NULL);' },
  {
    version: 5,
    name: 'shared rate-limit windows',
    // Each instance adds what it counted; every instance reads the sum (src/store/postgres/rate-limits.ts).
    sql: `
      CREATE TABLE rate_limit_windows (
        policy TEXT NOT NULL,
        partition TEXT NOT NULL,
        window_start BIGINT NOT NULL,
        used BIGINT NOT NULL,
        PRIMARY KEY (policy, partition, window_start)
      );
    `,
  },
  {
    version: 6,
    name: 'passwords, sessions, token families, key scopes and expiry',
    sql: `
      ALTER TABLE users ADD COLUMN password_hash TEXT;
      CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
      ALTER TABLE api_keys ADD COLUMN scopes TEXT;
      ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
      ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE token_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT NOT NULL,
        generation INTEGER NOT NULL,
        revoked_at BIGINT
      );
      CREATE INDEX token_families_user ON token_families (user_id);
      CREATE TABLE refresh_tokens (
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
        generation INTEGER NOT NULL,
        salt TEXT NOT NULL,
        issued_at BIGINT NOT NULL,
        retired_at BIGINT,
        UNIQUE (family_id, generation)
      );
      CREATE TABLE access_tokens (
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE INDEX access_tokens_family ON access_tokens (family_id);
      CREATE INDEX access_tokens_user ON access_tokens (user_id);
    `,
  },
  {
    version: 7,
    name: 'key pins and per-representation key usage',
    sql: `
      ALTER TABLE api_keys ADD COLUMN pin TEXT;
      CREATE TABLE key_usage_daily (
        day TEXT NOT NULL,
        key_id TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        representation TEXT NOT NULL,
        answers BIGINT NOT NULL,
        PRIMARY KEY (day, key_id, representation)
      );
    `,
  },
];

/** The newest schema version this code knows. */
export const LATEST_VERSION = Math.max(...migrations.map((m) => m.version));

/**
 * Applies pending migrations on `client`, which holds the start-up advisory lock: instances
 * starting together wait for one another and each migration runs once. Refuses a newer schema.
 */
export async function migrate(client: PoolClient, database: string): Promise<number> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const current = rows[0]?.v ?? 0;
  if (current > LATEST_VERSION) {
    throw new StoreStartupError(`${database} has schema version ${current}, written by a newer Facet; this one knows up to version ${LATEST_VERSION}. Run the newer Facet, or restore a backup.`);
  }
  let applied = 0;
  for (const m of migrations.filter((x) => x.version > current)) {
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
    applied += 1;
  }
  return applied;
}
