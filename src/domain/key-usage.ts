import type { KeyRepository } from './repository';

/** Records when API keys were used, off the hot path: remembered here, written in one batch. */
export interface KeyUsage {
  /** Notes a use of a key now; costs a map write. */
  seen(keyId: string): void;
  /** Writes what was noted since the last flush. */
  flush(): Promise<void>;
  /** Flushes and stops the timer (shutdown). */
  close(): Promise<void>;
}

/** Flushes every `flushMs`; a failed flush keeps its uses for the next (a later time wins). */
export function createKeyUsage(keys: KeyRepository, options: { flushMs: number; now: () => Date; log: (message: string, err: unknown) => void }): KeyUsage {
  let pending = new Map<string, number>();
  async function flush(): Promise<void> {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    try {
      await keys.recordUse([...batch].map(([id, at]) => ({ id, at: new Date(at) })));
    } catch (err) {
      for (const [id, at] of batch) pending.set(id, Math.max(at, pending.get(id) ?? 0));
      options.log('recording when keys were last used failed; kept for the next flush', err);
    }
  }
  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();
  return {
    seen(keyId) {
      pending.set(keyId, options.now().getTime());
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
