import type { RateLimitCounts } from '../../src/domain/repository';
import { createRateLimiter } from '../../src/http/rate-limit';

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
    for (let i = 0; i < 6; i += 1) expect(a.admitRedirect('203.0.113.9')).not.toBeNull();
    await eventually(() => [...sums.values()].includes(6));
    // B has counted nothing itself, yet learns A's 6 with its own first report.
    expect(b.admitRedirect('203.0.113.9')).not.toBeNull();
    await eventually(() => [...sums.values()].includes(7));
    const admitted = [0, 1, 2, 3, 4, 5].filter(() => b.admitRedirect('203.0.113.9') !== null).length;
    expect(admitted).toBe(3);
  });

  it('keeps limiting on its own counts while the store is down, and reports them once it is back', async () => {
    let down = true;
    const { counts, sums } = sharedCounts({ failing: () => down });
    const logged: string[] = [];
    const a = createRateLimiter({ ...WINDOW, clock: () => START, shared: counts, log: (message) => logged.push(message) });
    const admitted = Array.from({ length: 15 }, () => a.admitRedirect('198.51.100.1')).filter((h) => h !== null).length;
    expect(admitted).toBe(10);
    await eventually(() => logged.length > 0);
    expect(logged[0]).toMatch(/limits on its own counts/);
    down = false;
    await eventually(() => [...sums.values()].includes(10));
  });
});
