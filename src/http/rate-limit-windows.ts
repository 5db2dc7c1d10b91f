import { LRUCache } from 'lru-cache';

/**
 * Fixed-window counting, the one replaceable unit of the rate limiter: which requests are counted,
 * and what an answer over a quota looks like, are src/http/rate-limit.ts's business.
 */

import type { Window, WindowSync } from './rate-limit-sync';

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

/** Requests counted in the window by every instance, as far as this one knows. */
const usedOf = (window: Window) => window.used + window.others;

/**
 * Counts one request of `partition` at `now` (ms since the epoch); a forgotten or ended window
 * starts afresh. Windows are aligned to multiples of their length, so every instance sharing
 * counts (`sync`) agrees on them.
 */
export function take(policy: Policy, partition: string, now: number, sync: WindowSync | null = null): Usage {
  const start = now - (now % policy.windowMs);
  let window = policy.windows.get(partition);
  if (!window || window.start !== start) {
    window = { start, used: 0, pushed: 0, others: 0 };
    policy.windows.set(partition, window);
  }
  window.used += 1;
  sync?.touched(policy.name, partition, window);
  return {
    policy,
    remaining: Math.max(0, policy.quota - usedOf(window)),
    resetSeconds: Math.max(1, Math.ceil((window.start + policy.windowMs - now) / 1000)),
    exceeded: usedOf(window) > policy.quota,
  };
}
