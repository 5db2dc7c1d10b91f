import type { IncomingMessage } from 'node:http';
import type { RateLimitCounts } from '../../../src/domain/repository';
import { createRateLimiter } from '../../../src/http/guards/rate-limit';
import type { RateLimiter } from '../../../src/http/guards/rate-limit';

/** A shared store in memory, as PostgreSQL holds it: a sum per (policy, partition, window). */
function sharedCounts(options: { failing?: () => boolean } = {}) {
  const sums = new Map<string, number>();
  const counts: RateLimitCounts = {
    async add(increments) {
      if (options.failing?.()) throw new Error('store down');
      return increments.map((i) => {
        const key = `${i.policy}|${i.partition}|${i.windowStart}`;
        sums.set(key, (sums.get(key) ?? 0) + i.delta);
        return sums.get(key)!;
      });
    },
    async prune() {},
  };
  return { counts, sums };
}

const WINDOW = { windowSeconds: 60, writesPerKey: 0, writesPerAddress: 0, redirectsPerAddress: 10 };
const START = Date.UTC(2026, 10, 20, 12, 0, 0);

/** Whether a visit from `address` is admitted: countVisit answers the RateLimit fields, or throws the 429. */
async function admitted(limiter: RateLimiter, address: string): Promise<boolean> {
  try {
    await limiter.countVisit({ socket: { remoteAddress: address }, headers: {} } as unknown as IncomingMessage);
    return true;
  } catch (err) {
    expect((err as { status?: number }).status).toBe(429);
    return false;
  }
}

/** Resolves once `condition` holds, polling on the event loop; fails after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Sends `n` visits one after another, each to the next limiter in turn; how many were admitted. */
async function visits(limiters: RateLimiter[], address: string, n: number): Promise<number> {
  let passed = 0;
  for (let i = 0; i < n; i += 1) if (await admitted(limiters[i % limiters.length]!, address)) passed += 1;
  return passed;
}

describe('rate limits shared by two instances through the store', () => {
  it('gives two instances one quota, not two, for visits alternating between them', async () => {
    const { counts } = sharedCounts();
    const clock = () => START;
    const a = createRateLimiter({ ...WINDOW, clock, shared: counts });
    const b = createRateLimiter({ ...WINDOW, clock, shared: counts });
    expect(await visits([a, b], '203.0.113.9', 40)).toBe(10);
  });

  it('refuses a burst on an instance that has not seen the client, once another used the quota', async () => {
    const { counts } = sharedCounts();
    const clock = () => START;
    const a = createRateLimiter({ ...WINDOW, clock, shared: counts });
    const b = createRateLimiter({ ...WINDOW, clock, shared: counts });
    expect(await visits([a], '203.0.113.10', 10)).toBe(10);
    expect(await visits([b], '203.0.113.10', 10)).toBe(0);
  });

  it('decides visits in flight at once on one instance each by its own place in the store\'s count', async () => {
    const { counts } = sharedCounts();
    const a = createRateLimiter({ ...WINDOW, clock: () => START, shared: counts });
    const outcomes = await Promise.all(Array.from({ length: 15 }, () => admitted(a, '203.0.113.12')));
    expect(outcomes.filter(Boolean)).toHaveLength(10);
  });

  it('asks the store only to learn a window and in the last half of the quota', async () => {
    const { counts } = sharedCounts();
    const add = jest.spyOn(counts, 'add');
    const a = createRateLimiter({ ...WINDOW, redirectsPerAddress: 100, clock: () => START, shared: counts });
    expect(await visits([a], '203.0.113.11', 40)).toBe(40);
    // The first visit learned the window; the next 39 were decided here (reported later, off the request path).
    expect(add.mock.calls.filter(([increments]) => increments.length === 1 && increments[0]!.delta === 1)).toHaveLength(1);
  });

  it('keeps limiting on its own counts while the store is down, and reports them once it is back', async () => {
    let down = true;
    const { counts, sums } = sharedCounts({ failing: () => down });
    const logged: string[] = [];
    const a = createRateLimiter({ ...WINDOW, clock: () => START, shared: counts, log: (message) => logged.push(message) });
    expect(await visits([a], '198.51.100.1', 15)).toBe(10);
    await eventually(() => logged.length > 0);
    expect(logged[0]).toMatch(/limits on its own counts/);
    down = false;
    // Refused visits are counted too (a 429 is a request), so the store learns all 15.
    await eventually(() => [...sums.values()].includes(15));
  });
});
