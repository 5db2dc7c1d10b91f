import { expectUpgradedCredentials } from './store-fixtures';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreStartupError } from '../../src/domain/store-errors';
import { LATEST_VERSION, migrations } from '../../src/store/sqlite/migrations';
import { openSqliteStore } from '../../src/store/sqlite/open';

let parent: string;
beforeEach(() => { parent = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-open-')); });
afterEach(() => { fs.rmSync(parent, { recursive: true, force: true }); });

describe('opening the SQLite store', () => {
  it('creates the folder and the database owner-only: they hold key hashes and e-mail addresses', async () => {
    const dir = path.join(parent, 'data');
    const store = openSqliteStore(dir);
    await store.ping();
    await store.close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of fs.readdirSync(dir)) expect({ file, mode: fs.statSync(path.join(dir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  });

  it('refuses a database written by a newer Facet, naming the file and both versions', async () => {
    const store = openSqliteStore(parent);
    await store.close();
    const file = path.join(parent, 'facet.db');
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_VERSION + 7, 'from the future', Date.now());
    db.close();
    expect(() => openSqliteStore(parent)).toThrow(StoreStartupError);
    expect(() => openSqliteStore(parent)).toThrow(new RegExp(`${file}.*version ${LATEST_VERSION + 7}.*up to version ${LATEST_VERSION}`));
  });

  it('upgrades a database of version 4: its users and keys keep working, without password, scopes or expiry', async () => {
    const db = new Database(path.join(parent, 'facet.db'));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.version <= 4)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 0);
    }
    db.prepare('INSERT INTO users (id, name, email, avatar_url, created_at) VALUES (?, ?, ?, ?, ?)').run('u1', 'Ada', 'Ada@Example.com', null, 0);
    db.prepare('INSERT INTO api_keys (id, key_hash, user_id, kind, label, created_at) VALUES (?, ?, ?, ?, ?, ?)').run('k1', 'h1', 'u1', 'user', 'old', 0);
    db.close();
    const store = openSqliteStore(parent);
    try {
      await expectUpgradedCredentials(store);
    } finally {
      await store.close();
    }
  });

  it('names the file when it cannot be opened as a database', () => {
    fs.writeFileSync(path.join(parent, 'facet.db'), 'this is not a database, just text long enough to fill a header page');
    expect(() => openSqliteStore(parent)).toThrow(/cannot open the SQLite database .*facet\.db/);
  });

  it('is not ready when a table requests read is broken, though the file still opens', async () => {
    const store = openSqliteStore(parent);
    await store.ping();
    const other = new Database(path.join(parent, 'facet.db'));
    other.exec('DROP TABLE click_daily');
    other.close();
    // Matched by message: better-sqlite3's errors may come from another realm than this file's Error.
    await expect(store.ping()).rejects.toMatchObject({ message: expect.stringMatching(/no such table: click_daily/) });
    await store.close();
  });

  it('is not ready when its writes fail', async () => {
    const store = openSqliteStore(parent);
    const other = new Database(path.join(parent, 'facet.db'));
    // What a full disk or a file turned read-only does to every write, without needing either here.
    other.exec("CREATE TRIGGER refuse BEFORE UPDATE ON heartbeat BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END");
    other.exec("CREATE TRIGGER refuse_insert BEFORE INSERT ON heartbeat BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END");
    other.close();
    await expect(store.ping()).rejects.toMatchObject({ message: expect.stringMatching(/disk I\/O error/) });
    await store.close();
  });
});
