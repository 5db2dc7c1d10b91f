import type { AnswerCount, KeyRepository } from './key-repository';

/** Answer counts per UTC day are kept this long (`npm run keys -- usage --days` reaches as far). */
export const USAGE_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

/** The UTC day (`YYYY-MM-DD`) `days` days before the one holding `at`. */
export const utcDay = (at: number, days = 0): string => new Date((Math.floor(at / DAY_MS) - days) * DAY_MS).toISOString().slice(0, 10);

/**
 * Records when API keys were used, and in which representation each was answered per UTC day,
 * off the hot path: remembered here, written in one batch per flush.
 */
export interface KeyUsage {
  /** Notes a use of a key now; costs a map write. */
  seen(keyId: string): void;
  /** Counts an answer to a key in a representation (its short name) today, UTC; costs a few map reads. */
  answered(keyId: string, representation: string): void;
  /** Writes what was noted since the last flush; flushes run one at a time. */
  flush(): Promise<void>;
  /** Flushes and stops the timer (shutdown). */
  close(): Promise<void>;
}

/** day → key id → representation → answers not yet written. */
type Counts = Map<string, Map<string, Map<string, number>>>;

function add(counts: Counts, day: string, keyId: string, representation: string, n: number): void {
  let byKey = counts.get(day);
  if (!byKey) counts.set(day, (byKey = new Map()));
  let byType = byKey.get(keyId);
  if (!byType) byKey.set(keyId, (byType = new Map()));
  byType.set(representation, (byType.get(representation) ?? 0) + n);
}

function flatten(counts: Counts): AnswerCount[] {
  const rows: AnswerCount[] = [];
  for (const [day, byKey] of counts) for (const [keyId, byType] of byKey) for (const [representation, count] of byType) rows.push({ keyId, representation, day, count });
  return rows;
}

/**
 * Flushes every `flushMs`. A failed flush keeps its uses (a later time wins) and its counts (added
 * to those counted since) for the next; counts are written as deltas, so N processes flushing into
 * one store count every answer once. Days past USAGE_RETENTION_DAYS are forgotten once a day.
 */
export function createKeyUsage(keys: KeyRepository, options: { flushMs: number; now: () => Date; log: (message: string, err: unknown) => void }): KeyUsage {
  let pendingUses = new Map<string, number>();
  let pendingCounts: Counts = new Map();
  // The day string of the last answer, so counting one allocates nothing while the day lasts.
  let dayNumber = NaN;
  let day = '';
  let prunedDay = '';
  let running: Promise<void> = Promise.resolve();
  let queued = 0;

  async function write(): Promise<void> {
    if (pendingUses.size === 0 && pendingCounts.size === 0) return;
    const uses = pendingUses;
    const counts = pendingCounts;
    pendingUses = new Map();
    pendingCounts = new Map();
    const now = options.now().getTime();
    const today = utcDay(now);
    const forgetBefore = prunedDay === today ? undefined : utcDay(now, USAGE_RETENTION_DAYS);
    try {
      await keys.recordUse([...uses].map(([id, at]) => ({ id, at: new Date(at) })), { answers: flatten(counts), forgetBefore });
      if (forgetBefore !== undefined) prunedDay = today;
    } catch (err) {
      for (const [id, at] of uses) pendingUses.set(id, Math.max(at, pendingUses.get(id) ?? 0));
      for (const row of flatten(counts)) add(pendingCounts, row.day, row.keyId, row.representation, row.count);
      options.log('recording how keys were used failed; kept for the next flush', err);
    }
  }

  // One flush at a time: a timer's flush failing while close() flushes must still reach the store.
  // An idle recorder starts writing at once; a flush asked for meanwhile runs after the one in flight.
  function flush(): Promise<void> {
    const run = async () => {
      try {
        await write();
      } finally {
        queued -= 1;
      }
    };
    queued += 1;
    running = queued === 1 ? run() : running.then(run);
    return running;
  }
  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();
  return {
    seen(keyId) {
      pendingUses.set(keyId, options.now().getTime());
    },
    answered(keyId, representation) {
      const at = options.now().getTime();
      const n = Math.floor(at / DAY_MS);
      if (n !== dayNumber) {
        dayNumber = n;
        day = utcDay(at);
      }
      add(pendingCounts, day, keyId, representation, 1);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
