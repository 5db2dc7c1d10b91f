import type { RateLimitCounts, WindowIncrement } from '../../domain/repository';

/** A fixed window of one partition as this process sees it. */
export interface Window {
  /** Aligned start, epoch milliseconds: every process agrees on it. */
  start: number;
  /** Requests this process counted in the window. */
  used: number;
  /** Of `used`, how many the shared store has been told. */
  pushed: number;
  /** Requests the other processes counted, as of the last report. */
  others: number;
  /** Whether the others' count has been learned from the store in this window. */
  learned: boolean;
}

/** Reports counted windows to the shared store and learns the other processes' counts. */
export interface WindowSync {
  /** Notes that `window` of (policy, partition) counted a request. */
  touched(policy: string, partition: string, window: Window): void;
  /**
   * Counts one request in each window, here and in the store at once; resolves with each window's
   * total in the store right after this request was added (what decides it, exactly), and learns
   * the others' counts. Rejects when the store cannot answer (the request stays counted here and
   * is reported later).
   */
  countNow(items: { policy: string; partition: string; window: Window }[]): Promise<number[]>;
}

/** How often counts are exchanged; what one instance may leave unreported meanwhile is bounded (rate-limit-windows.ts: quota / 40). */
export const RATE_LIMIT_SYNC_MS = 100;
const PRUNE_EVERY_MS = 60_000;
const REPORT_FAILURES_EVERY_MS = 60_000;

/**
 * Exchanges rate-limit counts with the other instances through the store. Most requests are
 * decided at once on this process's count plus the others' as last reported, and reported every
 * RATE_LIMIT_SYNC_MS off the request path; the few that decide a quota (see needsExchange) are
 * counted in the store at once (`countNow`). While the store cannot be reached, each instance
 * goes on limiting on what it knows (at worst its own quota); unreported counts are sent once it is back.
 */
export function createWindowSync(counts: RateLimitCounts, options: { windowMs: number; clock: () => number; log: (message: string, err: unknown) => void }): WindowSync {
  const dirty = new Map<string, { policy: string; partition: string; window: Window }>();
  const keyOf = (policy: string, partition: string, window: Window) => `${policy}\u0000${partition}\u0000${window.start}`;
  let inFlight = false;
  let lastPrune = 0;
  let lastFailureReport = -Infinity;

  async function exchange(): Promise<void> {
    if (inFlight || dirty.size === 0) return;
    inFlight = true;
    const batch = [...dirty.values()];
    dirty.clear();
    const increments: WindowIncrement[] = batch.map(({ policy, partition, window }) => ({ policy, partition, windowStart: window.start, delta: window.used - window.pushed }));
    for (const { window } of batch) window.pushed = window.used;
    try {
      const totals = await counts.add(increments.filter((i) => i.delta !== 0));
      let k = 0;
      for (const [i, { window }] of batch.entries()) {
        if (increments[i]!.delta !== 0) {
          window.others = Math.max(0, totals[k++]! - window.pushed);
          window.learned = true;
        }
      }
    } catch (err) {
      for (const [i, entry] of batch.entries()) {
        entry.window.pushed -= increments[i]!.delta;
        dirty.set(keyOf(entry.policy, entry.partition, entry.window), entry);
      }
      reportFailure(err);
    } finally {
      inFlight = false;
    }
    await prune();
  }

  /** Forgets windows that ended long ago, at most once a minute; its failure loses no count. */
  async function prune(): Promise<void> {
    const now = options.clock();
    if (now - lastPrune <= PRUNE_EVERY_MS) return;
    lastPrune = now;
    await counts.prune(now - 2 * options.windowMs).catch(reportFailure);
  }

  function reportFailure(err: unknown): void {
    const now = options.clock();
    if (now - lastFailureReport > REPORT_FAILURES_EVERY_MS) {
      lastFailureReport = now;
      options.log('rate-limit counts could not be shared; each instance limits on its own counts until the store is back', err);
    }
  }

  const timer = setInterval(() => void exchange(), RATE_LIMIT_SYNC_MS);
  timer.unref();
  return {
    touched(policy, partition, window) {
      dirty.set(keyOf(policy, partition, window), { policy, partition, window });
    },
    async countNow(items) {
      // Counted here first, then sent with whatever this instance has not reported yet.
      const increments = items.map(({ policy, partition, window }) => {
        window.used += 1;
        const delta = window.used - window.pushed;
        window.pushed = window.used;
        return { policy, partition, windowStart: window.start, delta };
      });
      let totals: number[];
      try {
        totals = await counts.add(increments);
      } catch (err) {
        // Still counted here; reported by the next exchange.
        items.forEach(({ policy, partition, window }, i) => {
          window.pushed -= increments[i]!.delta;
          dirty.set(keyOf(policy, partition, window), { policy, partition, window });
        });
        throw err;
      }
      items.forEach(({ window }, i) => {
        window.others = Math.max(0, totals[i]! - window.pushed);
        window.learned = true;
      });
      return totals;
    },
  };
}
