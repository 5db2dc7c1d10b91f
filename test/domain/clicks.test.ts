import { createClickRecorder } from '../../src/domain/clicks';
import type { Click } from '../../src/domain/types';
import type { ClickRepository } from '../../src/domain/repository';

const click = (n: number): Click => ({ linkRowId: n, at: new Date(0), device: 'other', country: 'ZZ', referrer: null });

function memoryRepo(failures = 0) {
  const batches: Click[][] = [];
  const attempts = { count: 0 };
  let failuresLeft = failures;
  const repo: ClickRepository = {
    async insertBatch(clicks) {
      attempts.count += 1;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('database is locked');
      }
      batches.push(clicks);
    },
    async window() {
      return { perDay: [], perValue: [] };
    },
  };
  return { repo, batches, attempts };
}

describe('the click recorder', () => {
  it('holds clicks off the request path until it flushes them as one batch', async () => {
    const { repo, batches } = memoryRepo();
    const recorder = createClickRecorder(repo, { flushMs: 60_000, onError: () => undefined });
    recorder.record(click(1));
    recorder.record(click(2));
    expect(batches).toHaveLength(0);
    expect(recorder.pending()).toBe(2);
    await recorder.flush();
    expect(batches).toEqual([[click(1), click(2)]]);
    await recorder.close();
  });

  it('writes at once when a batch is full', async () => {
    const { repo, batches } = memoryRepo();
    const recorder = createClickRecorder(repo, { flushMs: 60_000, maxBatch: 3, onError: () => undefined });
    for (let i = 0; i < 7; i += 1) recorder.record(click(i));
    await recorder.flush();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    await recorder.close();
  });

  it('keeps a failed batch and writes it with the next flush, losing nothing', async () => {
    const { repo, batches } = memoryRepo(1);
    const errors: unknown[] = [];
    const recorder = createClickRecorder(repo, { flushMs: 60_000, onError: (err) => errors.push(err) });
    recorder.record(click(1));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    recorder.record(click(2));
    await recorder.close();
    expect(batches.flat().map((c) => c.linkRowId).sort()).toEqual([1, 2]);
  });
});

describe('the click recorder while the store refuses clicks', () => {
  it('backs off instead of trying again on every visit, then writes everything once the store is back', async () => {
    const { repo, batches, attempts } = memoryRepo(1);
    let now = 1_000_000;
    const errors: unknown[] = [];
    const recorder = createClickRecorder(repo, { flushMs: 60_000, maxBatch: 3, clock: () => now, onError: (err) => errors.push(err) });
    for (let i = 0; i < 3; i += 1) recorder.record(click(i));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    // 300 more visits while backing off: full batches, but no new attempt.
    for (let i = 3; i < 303; i += 1) recorder.record(click(i));
    expect(attempts.count).toBe(1);
    expect(recorder.pending()).toBe(303);
    now += 60_000;
    recorder.record(click(303));
    await recorder.close();
    expect(attempts.count).toBeGreaterThan(1);
    expect(batches.flat()).toHaveLength(304);
    expect(new Set(batches.flat().map((c) => c.linkRowId)).size).toBe(304);
  });

  it('writes the held clicks at once when the store is seen answering again, not after the back-off', async () => {
    const { repo, batches, attempts } = memoryRepo(1);
    const now = 1_000_000; // the clock never reaches the end of the back-off
    const recorder = createClickRecorder(repo, { flushMs: 60_000, clock: () => now, onError: () => undefined });
    for (let i = 0; i < 5; i += 1) recorder.record(click(i));
    await recorder.flush();
    expect([attempts.count, recorder.pending()]).toEqual([1, 5]);
    recorder.storeAnswered();
    await recorder.flush(); // waits for the write storeAnswered started
    expect(batches.flat().map((c) => c.linkRowId)).toEqual([0, 1, 2, 3, 4]);
    expect(recorder.pending()).toBe(0);
    // Nothing held, no back-off: a later readiness answer starts no write.
    recorder.storeAnswered();
    expect(attempts.count).toBe(2);
    await recorder.close();
  });
});

describe('click batch reporting', () => {
  it('reports each written batch with its size and the age of its oldest click', async () => {
    const { repo } = memoryRepo();
    const reports: [number, number][] = [];
    const recorder = createClickRecorder(repo, { flushMs: 60_000, onError: () => undefined, onBatch: (size, lag) => reports.push([size, lag]) });
    recorder.record({ ...click(1), at: new Date(Date.now() - 5_000) });
    recorder.record({ ...click(2), at: new Date() });
    await recorder.close();
    expect(reports).toHaveLength(1);
    expect(reports[0]![0]).toBe(2);
    expect(reports[0]![1]).toBeGreaterThanOrEqual(5_000);
  });
});

describe('a store that keeps refusing clicks', () => {
  it('holds at most maxPending clicks and reports the ones it has to drop', async () => {
    const { repo, batches } = memoryRepo(1_000);
    const dropped: Click[] = [];
    const recorder = createClickRecorder(repo, { flushMs: 60_000, maxBatch: 1_000, maxPending: 5, onError: () => undefined, onDrop: (c) => dropped.push(c) });
    for (let i = 0; i < 8; i += 1) recorder.record(click(i));
    expect(recorder.pending()).toBe(5);
    expect(dropped.map((c) => c.linkRowId)).toEqual([5, 6, 7]);
    await recorder.flush();
    expect(batches).toHaveLength(0);
    expect(recorder.pending()).toBe(5);
  });
});
