import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/create-store';
import { migrations } from '../../src/store/sqlite/migrations';
import type { LinkCursor, LinkPage, Store } from '../../src/domain/repository';

const NOW = new Date('2026-11-20T12:00:00Z');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-store-'));
  store = createSqliteStore(dir);
  await store.users.insert({ id: 'u1', name: 'U One', email: 'u1@example.com', avatarUrl: null, createdAt: NOW });
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const newLink = (code: string) => ({ code, ownerId: 'u1', url: 'https://example.org/', title: null, tags: ['a'], expiresAt: null });

describe('the SQLite store', () => {
  it('keeps a real database file in WAL mode with every migration recorded', () => {
    const file = path.join(dir, 'facet.db');
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
    db.close();
  });

  it('keeps data across a reopen and does not re-run migrations', async () => {
    await store.links.insert(newLink('keep1'), NOW);
    await store.close();
    store = createSqliteStore(dir);
    const link = await store.links.findByCode('keep1');
    expect(link?.tags).toEqual(['a']);
    expect(link?.version).toBe(1);
  });

  it('refuses a duplicate code by returning null, leaving the first link intact', async () => {
    const first = await store.links.insert(newLink('dupe1'), NOW);
    expect(await store.links.insert({ ...newLink('dupe1'), url: 'https://evil.example/' }, NOW)).toBeNull();
    expect((await store.links.findByCode('dupe1'))?.url).toBe(first?.url);
  });

  it('applies an update only to the version it was read at', async () => {
    await store.links.insert(newLink('ver1'), NOW);
    const updated = await store.links.update('ver1', 1, { title: 'new' }, NOW);
    expect(updated).toMatchObject({ title: 'new', version: 2 });
    expect(await store.links.update('ver1', 1, { title: 'lost update' }, NOW)).toBeNull();
    expect((await store.links.findByCode('ver1'))?.title).toBe('new');
  });

  it('deletes only the version it was read at', async () => {
    await store.links.insert(newLink('del1'), NOW);
    expect(await store.links.delete('del1', 7)).toBe(false);
    expect(await store.links.delete('del1', 1)).toBe(true);
    expect(await store.links.findByCode('del1')).toBeNull();
  });

  it('pages newest first without gaps or repeats, even for links created in the same millisecond', async () => {
    for (let i = 0; i < 7; i += 1) await store.links.insert(newLink(`page${i}`), NOW);
    const seen: string[] = [];
    let after: LinkCursor | null = null;
    for (;;) {
      const page: LinkPage = await store.links.listByOwner('u1', 3, after);
      seen.push(...page.items.map((l) => l.code));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(['page6', 'page5', 'page4', 'page3', 'page2', 'page1', 'page0']);
  });

  it('counts a batch of clicks on each link atomically', async () => {
    const link = await store.links.insert(newLink('clk1'), NOW);
    const click = { linkRowId: link!.rowId, at: NOW, device: 'mobile', country: 'DE', referrer: null };
    await store.clicks.insertBatch([click, click, click]);
    expect((await store.links.findByCode('clk1'))?.clickCount).toBe(3);
  });
});
