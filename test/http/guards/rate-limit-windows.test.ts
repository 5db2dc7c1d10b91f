import { createPolicy, needsExchange, windowOf } from '../../../src/http/guards/rate-limit-windows';

const NOW = 1_800_000_000_000;

/** A learned window of a policy with `quota`, `used` here (of which `pushed` reported) and `others` elsewhere. */
function windowAt(quota: number, state: { used: number; pushed: number; others: number }) {
  const policy = createPolicy('writes-per-key', quota, 60, 10)!;
  const window = windowOf(policy, 'key', NOW);
  Object.assign(window, state, { learned: true });
  return { policy, window };
}

describe('which requests are counted in the shared store', () => {
  it('counts the first request of a window in the store, and decides far from the quota locally', () => {
    const policy = createPolicy('writes-per-key', 400, 60, 10)!;
    expect(needsExchange(policy, windowOf(policy, 'key', NOW))).toBe(true);
    const { policy: p, window } = windowAt(400, { used: 5, pushed: 0, others: 10 });
    expect(needsExchange(p, window)).toBe(false);
  });

  it('counts in the store once this instance holds its share (quota / 40) of unreported requests, which the others cannot see', () => {
    const below = windowAt(400, { used: 9, pushed: 0, others: 0 });
    expect(needsExchange(below.policy, below.window)).toBe(false);
    const at = windowAt(400, { used: 10, pushed: 0, others: 0 });
    expect(needsExchange(at.policy, at.window)).toBe(true);
  });

  it('counts every request in the store below a quota of 40, where no request may go unreported', () => {
    const { policy, window } = windowAt(20, { used: 1, pushed: 1, others: 0 });
    expect(policy.maxUnreported).toBe(0);
    expect(needsExchange(policy, window)).toBe(true);
  });

  it('decides locally once over the quota: the refusal needs no exchange', () => {
    const { policy, window } = windowAt(20, { used: 15, pushed: 10, others: 10 });
    expect(needsExchange(policy, window)).toBe(false);
  });
});
