import type { RateLimitCounts, WindowIncrement } from '../../domain/repository';
import type { Db } from './db';

const keyOf = (policy: string, partition: string, windowStart: number) => `${policy}\u0000${partition}\u0000${windowStart}`;
const byKey = (a: WindowIncrement, b: WindowIncrement) =>
  a.policy.localeCompare(b.policy) || a.partition.localeCompare(b.partition) || a.windowStart - b.windowStart;

/** Rate-limit windows in PostgreSQL: every instance adds what it counted and reads back the sum. */
export function createPostgresRateLimits(db: Db): RateLimitCounts {
  return {
    async add(increments) {
      if (increments.length === 0) return [];
      // One row per window (an upsert may touch a row once), sorted so that two instances
      // upserting the same windows lock them in one order.
      const merged = new Map<string, WindowIncrement>();
      for (const i of increments) {
        const key = keyOf(i.policy, i.partition, i.windowStart);
        const seen = merged.get(key);
        merged.set(key, seen ? { ...seen, delta: seen.delta + i.delta } : i);
      }
      const sorted = [...merged.values()].sort(byKey);
      const rows = await db.query<{ policy: string; partition: string; window_start: number; used: number }>(
        `INSERT INTO rate_limit_windows AS w (policy, partition, window_start, used)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
         ON CONFLICT (policy, partition, window_start) DO UPDATE SET used = w.used + excluded.used
         RETURNING w.policy, w.partition, w.window_start, w.used`,
        [sorted.map((i) => i.policy), sorted.map((i) => i.partition), sorted.map((i) => i.windowStart), sorted.map((i) => i.delta)]);
      const totals = new Map(rows.map((r) => [keyOf(r.policy, r.partition, r.window_start), r.used]));
      return increments.map((i) => totals.get(keyOf(i.policy, i.partition, i.windowStart)) ?? i.delta);
    },
    async prune(before) {
      await db.query('DELETE FROM rate_limit_windows WHERE window_start < $1', [before]);
    },
  };
}
