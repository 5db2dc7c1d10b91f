import type { IncomingMessage } from 'node:http';
import type { RateLimitCounts } from '../../src/domain/repository';
import { createRateLimiter } from '../../src/http/rate-limit';
import type { RateLimiter } from '../../src/http/rate-limit';

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
function admitted(limiter: RateLimiter, address: string): boolean {
  try {
    limiter.countVisit({ socket: { remoteAddress: address }, headers: {} } as unknown as IncomingMessage);
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

describe('rate limits shared by two instances through the store', () => {
  it('gives two instances one quota once they have exchanged counts, not two', async () => {
    const { counts, sums } = sharedCounts();
    const clock = () => START;
    const a = createRateLimiter({ ...WINDOW, clock, shared: counts });
    const b = createRateLimiter({ ...WINDOW, clock, shared: counts });
    for (let i = 0; i < 6; i += 1) expect(admitted(a, '203.0.113.9')).toBe(true);
    await eventually(() => [...sums.values()].includes(6));
    // B has counted nothing itself, yet learns A's 6 with its own first report.
    expect(admitted(b, '203.0.113.9')).toBe(true);
    await eventually(() => [...sums.values()].includes(7));
    const passed = [0, 1, 2, 3, 4, 5].filter(() => admitted(b, '203.0.113.9')).length;
    expect(passed).toBe(3);
  });

  it('keeps limiting on its own counts while the store is down, and reports them once it is back', async () => {
    let down = true;
    const { counts, sums } = sharedCounts({ failing: () => down });
    const logged: string[] = [];
    const a = createRateLimiter({ ...WINDOW, clock: () => START, shared: counts, log: (message) => logged.push(message) });
    const passed = Array.from({ length: 15 }, () => admitted(a, '198.51.100.1')).filter(Boolean).length;
    expect(passed).toBe(10);
    await eventually(() => logged.length > 0);
    expect(logged[0]).toMatch(/limits on its own counts/);
    down = false;
    // Refused visits are counted too (a 429 is a request), so the store learns all 15.
    await eventually(() => [...sums.values()].includes(15));
  });
});
