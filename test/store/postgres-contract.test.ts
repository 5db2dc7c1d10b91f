import { expectUpgradedCredentials } from './store-fixtures';
import { Client } from 'pg';
import { StoreUnavailableError } from '../../src/domain/store-errors';
import { migrations } from '../../src/store/postgres/migrations';
import { openPostgresStore } from '../../src/store/postgres/open';
import { describeWithPostgres } from '../helpers/postgres';
import { describeStore } from './describe-store';

const options = (url: string) => ({ url, poolSize: 4, statementTimeoutMs: 5000 });

/** Resolves once another session waits for a lock; a bounded poll of pg_locks (live, unlike the statistics views). */
async function waitUntilBlocked(admin: Client): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted');
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error('the store\'s read never waited for the lock');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWithPostgres('the PostgreSQL store on a throwaway cluster', (cluster) => {
  let databases = 0;
  // A fresh database for every test, set up as production ones often are rather than as the
  // cluster's defaults: sessions in a zone off UTC by a half hour (a store letting the server's zone
  // decide a click's day fails) and text sorted by a language's rules (one sorting names without
  // COLLATE "C" disagrees with SQLite's byte order).
  describeStore('PostgreSQL', async () => {
    const url = await cluster().createDatabase(`contract_${process.pid}_${++databases}`, { timezone: 'America/St_Johns', icuLocale: 'en-US' });
    const store = await openPostgresStore(options(url));
    return {
      store,
      async openAnother() {
        const another = await openPostgresStore(options(url));
        return { store: another, close: () => another.close() };
      },
      close: () => store.close(),
    };
  }, { announces: true, sharesRateLimits: true });

  it('upgrades a database of version 5: its users and keys keep working, without password, scopes or expiry', async () => {
    const url = await cluster().createDatabase(`upgrade_${process.pid}`);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const m of migrations.filter((x) => x.version <= 5)) {
        await admin.query(m.sql);
        await admin.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [m.version, m.name]);
      }
      await admin.query("INSERT INTO users (id, name, email, avatar_url, created_at) VALUES ('u1', 'Ada', 'Ada@Example.com', NULL, 0)");
      await admin.query("INSERT INTO api_keys (id, key_hash, user_id, kind, label, created_at) VALUES ('k1', 'h1', 'u1', 'user', 'old', 0)");
    } finally {
      await admin.end();
    }
    const store = await openPostgresStore(options(url));
    try {
      await expectUpgradedCredentials(store);
    } finally {
      await store.close();
    }
  });

  describe('while the server is down', () => {
    // A failed test must not leave the next one without a server.
    afterEach(() => cluster().startServer(), 30_000);

    it('fails pings and reads with StoreUnavailableError, then serves again once it is back, on the same store', async () => {
      const url = await cluster().createDatabase(`outage_${process.pid}`);
      const store = await openPostgresStore(options(url));
      try {
        await store.users.insert({ id: 'u1', name: 'Ada', email: 'ada@example.com', avatarUrl: null, createdAt: new Date('2026-11-20T12:00:00Z') });
        await cluster().stopServer('fast');
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.users.findById('u1')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.links.insert({ code: 'down1', ownerId: 'u1', url: 'https://example.org/', title: null, tags: [], expiresAt: null }, new Date())).rejects.toBeInstanceOf(StoreUnavailableError);
        await cluster().startServer();
        await expect(store.ping()).resolves.toBeUndefined();
        expect((await store.users.findById('u1'))?.name).toBe('Ada');
      } finally {
        await store.close();
      }
    }, 30_000);

    it('answers a query a crashed server was running with StoreUnavailableError', async () => {
      const url = await cluster().createDatabase(`crash_${process.pid}`);
      const store = await openPostgresStore(options(url));
      const admin = new Client({ connectionString: url });
      admin.on('error', () => undefined); // the crash ends this session too
      await admin.connect();
      try {
        // The throwaway cluster commits asynchronously (synchronous_commit=off, for speed): a crash
        // within the WAL writer's delay would lose the migrations just committed, which durable
        // commits never do. Flushed here, the store's own tables survive the crash as in production.
        await admin.query('CHECKPOINT');
        // Holds a lock the store's read waits for, so the read is in flight when the server dies.
        await admin.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
        const read = store.users.findById('u1');
        read.catch(() => undefined); // awaited below, after the crash
        await waitUntilBlocked(admin);
        await cluster().stopServer('immediate');
        await expect(read).rejects.toBeInstanceOf(StoreUnavailableError);
        await cluster().startServer();
        await expect(store.ping()).resolves.toBeUndefined();
      } finally {
        await admin.end().catch(() => undefined);
        await store.close();
      }
    }, 30_000);
  });
});
