import { LRUCache } from 'lru-cache';

/**
 * Fixed-window counting, the one replaceable unit of the rate limiter: which requests are counted,
 * and what an answer over a quota looks like, are src/http/rate-limit.ts's business.
 */

/** A fixed window of one partition: when it started and how many requests it has counted. */
interface Window {
  start: number;
  used: number;
}

/** One quota policy (draft-ietf-httpapi-ratelimit-headers): `quota` requests per window per partition. */
export interface Policy {
  name: string;
  quota: number;
  windowMs: number;
  windows: LRUCache<string, Window>;
}

/** What one counted request left of its partition's window. */
export interface Usage {
  policy: Policy;
  remaining: number;
  resetSeconds: number;
  exceeded: boolean;
}

/** A policy remembering at most `maxPartitions` windows (least recently seen forgotten first); null when `quota` is 0 (off). */
export function createPolicy(name: string, quota: number, windowSeconds: number, maxPartitions: number): Policy | null {
  return quota > 0 ? { name, quota, windowMs: windowSeconds * 1000, windows: new LRUCache<string, Window>({ max: maxPartitions }) } : null;
}

/** Counts one request of `partition` at `now` (ms since the epoch); a forgotten or ended window starts afresh. */
export function take(policy: Policy, partition: string, now: number): Usage {
  let window = policy.windows.get(partition);
  if (!window || now - window.start >= policy.windowMs) {
    window = { start: now, used: 0 };
    policy.windows.set(partition, window);
  }
  window.used += 1;
  return {
    policy,
    remaining: Math.max(0, policy.quota - window.used),
    resetSeconds: Math.max(1, Math.ceil((window.start + policy.windowMs - now) / 1000)),
    exceeded: window.used > policy.quota,
  };
}
