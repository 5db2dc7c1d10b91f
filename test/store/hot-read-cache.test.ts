import type { Link } from '../../src/domain/types';
import { cacheHotReads } from '../../src/store/hot-read-cache';
import type { Store } from '../../src/domain/repository';
import { StoreUnavailableError } from '../../src/domain/store-errors';

const link = (clickCount: number, version = 1): Link => ({
  rowId: 1, code: 'abc', ownerId: 'u1', url: 'https://example.org/', title: null, tags: [],
  createdAt: new Date(0), updatedAt: new Date(0), expiresAt: null, version, clickCount,
});

/** A store whose link table is one mutable row, counting the reads that reach it. */
function fakeStore() {
  let row: Link | null = link(0);
  const reads = { count: 0 };
  const down = { now: false };
  const store = {
    links: {
      async findByCode(code: string) {
        reads.count += 1;
        if (down.now) throw new StoreUnavailableError('store down');
        return code === 'abc' ? row : null;
      },
      async listByOwner() { return { items: [], nextCursor: null }; },
      async insert() { return null; },
      async update(_code: string, _v: number) { row = link(row!.clickCount, row!.version + 1); return row; },
      async delete() { row = null; return true; },
    },
    clicks: {
      async insertBatch() { row = link(row!.clickCount + 1, row!.version); },
      async window() { reads.count += 1; return { perDay: [{ linkRowId: 1, day: '2026-11-20', clicks: row!.clickCount }], perValue: [] }; },
    },
  } as unknown as Store;
  return { store, reads, down };
}

describe('cacheHotReads()', () => {
  it('answers repeated reads of a code, and of an unknown code, from memory', async () => {
    const { store, reads } = fakeStore();
    const cached = cacheHotReads(store, { ttlMs: 60_000, max: 100 });
    await cached.links.findByCode('abc');
    await cached.links.findByCode('abc');
    await cached.links.findByCode('nope');
    await cached.links.findByCode('nope');
    expect(reads.count).toBe(2);
  });

  it('shows this process’s own update and delete at once', async () => {
    const { store } = fakeStore();
    const cached = cacheHotReads(store, { ttlMs: 60_000, max: 100 });
    await cached.links.findByCode('abc');
    await cached.links.update('abc', 1, { title: 'x' }, new Date(0));
    expect((await cached.links.findByCode('abc'))?.version).toBe(2);
    await cached.links.delete('abc', 2);
    expect(await cached.links.findByCode('abc')).toBeNull();
  });

  it('shows new click counts once a click batch is written', async () => {
    const { store } = fakeStore();
    const cached = cacheHotReads(store, { ttlMs: 60_000, max: 100 });
    expect((await cached.links.findByCode('abc'))?.clickCount).toBe(0);
    await cached.clicks.insertBatch([]);
    expect((await cached.links.findByCode('abc'))?.clickCount).toBe(1);
  });

  it('answers a repeated click window from memory until a click batch is written', async () => {
    const { store, reads } = fakeStore();
    const cached = cacheHotReads(store, { ttlMs: 60_000, max: 100 });
    expect((await cached.clicks.window([1], '2026-11-01')).perDay[0]?.clicks).toBe(0);
    await cached.clicks.window([1], '2026-11-01');
    expect(reads.count).toBe(1);
    await cached.clicks.insertBatch([]);
    expect((await cached.clicks.window([1], '2026-11-01')).perDay[0]?.clicks).toBe(1);
    expect(reads.count).toBe(2);
  });

  it('answers a link as last read while the store is unreachable, but never one this process saw change', async () => {
    const { store, down } = fakeStore();
    const cached = cacheHotReads(store, { ttlMs: 60_000, max: 100 });
    expect((await cached.links.findByCode('abc'))?.version).toBe(1);
    await cached.clicks.insertBatch([]); // drops the fresh entry, as every click batch does
    down.now = true;
    expect((await cached.links.findByCode('abc'))?.clickCount).toBe(0);
    await expect(cached.links.findByCode('never-read')).rejects.toBeInstanceOf(StoreUnavailableError);
    down.now = false;
    await cached.links.update('abc', 1, { title: 'x' }, new Date(0));
    down.now = true;
    await expect(cached.links.findByCode('abc')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('reads the stored row for a fresh read (what writes check If-Match against), whatever it holds', async () => {
    const { store, reads } = fakeStore();
    const cached = cacheHotReads(store, { ttlMs: 60_000, max: 100 });
    await cached.links.findByCode('abc');
    await cached.links.findByCode('abc', { fresh: true });
    expect(reads.count).toBe(2);
  });
});
