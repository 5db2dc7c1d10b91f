import type { ClickRepository } from './repository';
import type { Click } from './types';

/** Collects clicks off the request path and writes them in small batches. */
export interface ClickRecorder {
  record(click: Click): void;
  /** Writes every pending click now, whatever the back-off; resolves when the attempt is over. */
  flush(): Promise<void>;
  /** Stops the timer and flushes; used by graceful shutdown. */
  close(): Promise<void>;
  /** The store was just seen to answer (readiness): held clicks are written now, not after the back-off. */
  storeAnswered(): void;
  pending(): number;
}

/** Longest wait between attempts while the store refuses clicks. */
export const MAX_BACKOFF_MS = 30_000;

/**
 * Batches clicks: written every `flushMs`, or at once when `maxBatch` are pending; after a failed
 * write, automatic attempts back off (flush() and close() always try at once).
 */
export function createClickRecorder(
  repo: ClickRepository,
  options: {
    flushMs: number;
    maxBatch?: number;
    /** Clicks held while the store refuses them; past this, new clicks are dropped (and reported) rather than memory grown. */
    maxPending?: number;
    onError: (err: unknown) => void;
    onBatch?: (size: number, lagMs: number) => void;
    onDrop?: (click: Click) => void;
    /** Milliseconds since the epoch; Date.now by default (tests move it). */
    clock?: () => number;
  },
): ClickRecorder {
  const maxBatch = options.maxBatch ?? 200;
  const maxPending = options.maxPending ?? 100_000;
  const clock = options.clock ?? Date.now;
  let buffer: Click[] = [];
  let writing: Promise<void> = Promise.resolve();
  // After a failed write, automatic flushes wait (flushMs, doubling up to MAX_BACKOFF_MS): a store
  // that is down or locked is not asked again on every visit.
  let backoffMs = 0;
  let retryAt = 0;

  function flush(): Promise<void> {
    if (buffer.length === 0) return writing;
    const batch = buffer;
    buffer = [];
    // Batches are written one after another so a slow write never reorders clicks.
    writing = writing.then(async () => {
      await repo.insertBatch(batch);
      backoffMs = 0;
      retryAt = 0;
      const oldest = batch.reduce((min, c) => Math.min(min, c.at.getTime()), Infinity);
      options.onBatch?.(batch.length, Date.now() - oldest);
    }).catch((err: unknown) => {
      buffer = batch.concat(buffer); // keep them for the next attempt rather than lose them
      backoffMs = Math.min(Math.max(options.flushMs, backoffMs * 2), MAX_BACKOFF_MS);
      retryAt = clock() + backoffMs;
      options.onError(err);
    });
    return writing;
  }

  /** A flush the recorder starts itself, which waits out the back-off. */
  const flushWhenDue = () => {
    if (clock() >= retryAt) void flush();
  };
  const timer = setInterval(flushWhenDue, options.flushMs);
  timer.unref();

  return {
    record(click) {
      if (buffer.length >= maxPending) {
        options.onDrop?.(click);
        return;
      }
      buffer.push(click);
      if (buffer.length >= maxBatch) flushWhenDue();
    },
    flush,
    storeAnswered() {
      if (retryAt === 0 || buffer.length === 0) return;
      retryAt = 0;
      void flush();
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
    pending: () => buffer.length,
  };
}
