import { LRUCache } from 'lru-cache';

/**
 * Fixed-window counting, the one replaceable unit of the rate limiter: which requests are counted,
 * and what an answer over a quota looks like, are src/http/guards/rate-limit.ts's business.
 */

import type { Window, WindowSync } from './rate-limit-sync';

/** One quota policy (draft-ietf-httpapi-ratelimit-headers): `quota` requests per window per partition. */
export interface Policy {
  name: string;
  /** The policy as a member of the RateLimit fields' lists: its name, or the name as an sf-string. */
  item: string;
  quota: number;
  /**
   * Requests this instance may have decided on its own and not yet reported (1/40 of the quota):
   * what the others cannot see when they decide. Past it, a request is counted in the store.
   */
  maxUnreported: number;
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

/**
 * A policy remembering at most `maxPartitions` windows (least recently seen forgotten first); null
 * when `quota` is 0 (off). `item` is how the RateLimit fields name it (the name by default).
 */
export function createPolicy(name: string, quota: number, windowSeconds: number, maxPartitions: number, item = name): Policy | null {
  return quota > 0 ? { name, item, quota, maxUnreported: Math.floor(quota / UNREPORTED_SHARE), windowMs: windowSeconds * 1000, windows: new LRUCache<string, Window>({ max: maxPartitions }) } : null;
}

/**
 * An instance's unreported requests are at most quota/40, and one report may be in flight beside
 * them: each other instance hides at most quota/20 from a decision, so two instances overshoot a
 * quota by at most 5 % of it (none below a quota of 40, where every request is counted in the store).
 */
const UNREPORTED_SHARE = 40;

/** Requests counted in the window by every instance, as far as this one knows. */
const usedOf = (window: Window) => window.used + window.others;

/**
 * The window of `partition` at `now` (ms since the epoch); a forgotten or ended one starts afresh.
 * Windows are aligned to multiples of their length, so every instance sharing counts agrees on them.
 */
export function windowOf(policy: Policy, partition: string, now: number): Window {
  const start = now - (now % policy.windowMs);
  let window = policy.windows.get(partition);
  if (!window || window.start !== start) {
    window = { start, used: 0, pushed: 0, others: 0, learned: false };
    policy.windows.set(partition, window);
  }
  return window;
}

/**
 * What `window` leaves of the policy's quota at `now`, by this instance's count — or by `total`,
 * the store's count right after this request was added there (exact across instances).
 */
export function usageOf(policy: Policy, window: Window, now: number, total = usedOf(window)): Usage {
  return {
    policy,
    remaining: Math.max(0, policy.quota - total),
    resetSeconds: Math.max(1, Math.ceil((window.start + policy.windowMs - now) / 1000)),
    exceeded: total > policy.quota,
  };
}

/** Counts one request of `partition` here; `sync` reports it to the other instances later. */
export function take(policy: Policy, partition: string, now: number, sync: WindowSync | null = null): Usage {
  const window = windowOf(policy, partition, now);
  window.used += 1;
  sync?.touched(policy.name, partition, window);
  return usageOf(policy, window, now);
}

/**
 * Takes back one request of `partition` counted in the current window (it was counted under the
 * wrong policy); the shared store is told with the next exchange, as a negative increment.
 */
export function giveBack(policy: Policy, partition: string, now: number, sync: WindowSync | null = null): void {
  const window = policy.windows.get(partition);
  if (!window || window.start !== now - (now % policy.windowMs) || window.used === 0) return;
  window.used -= 1;
  sync?.touched(policy.name, partition, window);
}

/**
 * Whether a shared count must be decided with the store rather than on what this instance knows:
 * the first request of a window here (the others' counts are unknown), one in the last half of
 * the quota (where a stale count would let a burst through), or one past this instance's share of
 * unreported requests (which the others' exact decisions cannot see). Far from the quota, and once
 * over it, the local count decides at once.
 */
export function needsExchange(policy: Policy, window: Window): boolean {
  if (!window.learned) return true;
  const used = usedOf(window);
  return used <= policy.quota && (used >= policy.quota / 2 || window.used - window.pushed >= policy.maxUnreported);
}
