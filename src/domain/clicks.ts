import type { ClickRepository } from './repository';
import type { Click } from './types';

/** Collects clicks off the request path and writes them in small batches. */
export interface ClickRecorder {
  record(click: Click): void;
  /** Writes every pending click; resolves when they are stored. */
  flush(): Promise<void>;
  /** Stops the timer and flushes; used by graceful shutdown. */
  close(): Promise<void>;
  pending(): number;
}

/** Batches clicks: written every `flushMs`, or at once when `maxBatch` are pending. */
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
  },
): ClickRecorder {
  const maxBatch = options.maxBatch ?? 200;
  const maxPending = options.maxPending ?? 100_000;
  let buffer: Click[] = [];
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (buffer.length === 0) return writing;
    const batch = buffer;
    buffer = [];
    // Batches are written one after another so a slow write never reorders clicks.
    writing = writing.then(async () => {
      await repo.insertBatch(batch);
      const oldest = batch.reduce((min, c) => Math.min(min, c.at.getTime()), Infinity);
      options.onBatch?.(batch.length, Date.now() - oldest);
    }).catch((err: unknown) => {
      buffer = batch.concat(buffer); // keep them for the next attempt rather than lose them
      options.onError(err);
    });
    return writing;
  }

  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();

  return {
    record(click) {
      if (buffer.length >= maxPending) {
        options.onDrop?.(click);
        return;
      }
      buffer.push(click);
      if (buffer.length >= maxBatch) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    pending: () => buffer.length,
  };
}
