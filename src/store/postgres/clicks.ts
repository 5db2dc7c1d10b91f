import type { ClickRepository } from '../../domain/repository';
import { rollUp } from '../click-rollups';
import type { Db } from './db';
import { notify } from './db';

/** Raw clicks and their daily roll-ups in PostgreSQL; a batch is one transaction of set-based statements. */
export function createPostgresClicks(db: Db): ClickRepository {
  const announce = notify({ kind: 'clicks' });
  return {
    async insertBatch(clicks) {
      if (clicks.length === 0) return;
      await db.transaction(async (client) => {
        // Locks the batch's links in row order: two instances adding to the same links queue up
        // instead of deadlocking, and a link cannot be deleted under the batch. A link already
        // deleted takes its clicks along.
        const ids = [...new Set(clicks.map((c) => c.linkRowId))].sort((a, b) => a - b);
        const { rows } = await client.query<{ row_id: number }>(
          'SELECT row_id FROM links WHERE row_id = ANY($1::bigint[]) ORDER BY row_id FOR NO KEY UPDATE', [ids]);
        const existing = new Set(rows.map((r) => r.row_id));
        const kept = clicks.filter((c) => existing.has(c.linkRowId));
        if (kept.length === 0) return;
        await client.query(
          `INSERT INTO clicks (link_row_id, at, device, country, referrer)
           SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])`,
          [kept.map((c) => c.linkRowId), kept.map((c) => c.at.getTime()), kept.map((c) => c.device), kept.map((c) => c.country), kept.map((c) => c.referrer)]);
        const { perLink, daily } = rollUp(kept);
        await client.query(
          `UPDATE links SET click_count = links.click_count + d.n
           FROM unnest($1::bigint[], $2::bigint[]) AS d(row_id, n) WHERE links.row_id = d.row_id`,
          [[...perLink.keys()], [...perLink.values()]]);
        // Added, never set: counts from every instance add up, each click once.
        await client.query(
          `INSERT INTO click_daily (link_row_id, day, dimension, value, clicks)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])
           ON CONFLICT (link_row_id, day, dimension, value) DO UPDATE SET clicks = click_daily.clicks + excluded.clicks`,
          [daily.map((d) => d.linkRowId), daily.map((d) => d.day), daily.map((d) => d.dimension), daily.map((d) => d.value), daily.map((d) => d.clicks)]);
        await client.query(...announce);
      });
    },
    async window(linkRowIds, fromDay) {
      if (linkRowIds.length === 0) return { perDay: [], perValue: [] };
      const [perDay, perValue] = await Promise.all([
        db.query<{ link_row_id: number; day: string; clicks: number }>(
          `SELECT link_row_id, day, clicks FROM click_daily
           WHERE link_row_id = ANY($1::bigint[]) AND day >= $2 AND dimension = 'total'`, [linkRowIds, fromDay]),
        db.query<{ link_row_id: number; dimension: 'device' | 'country' | 'referrer'; value: string; clicks: number }>(
          `SELECT link_row_id, dimension, value, SUM(clicks)::bigint AS clicks FROM click_daily
           WHERE link_row_id = ANY($1::bigint[]) AND day >= $2 AND dimension <> 'total'
           GROUP BY link_row_id, dimension, value`, [linkRowIds, fromDay]),
      ]);
      return {
        perDay: perDay.map((r) => ({ linkRowId: r.link_row_id, day: r.day, clicks: r.clicks })),
        perValue: perValue.map((r) => ({ linkRowId: r.link_row_id, dimension: r.dimension, value: r.value, clicks: r.clicks })),
      };
    },
  };
}
