import type Database from 'better-sqlite3';
import type { ClickRepository } from '../../domain/repository';
import type { Click } from '../../domain/types';
import { rollUp } from '../click-rollups';

/** Raw clicks and their daily roll-ups in SQLite; a batch is one transaction. */
export function createSqliteClicks(db: Database.Database): ClickRepository {
  const q = {
    // json_each keeps these one prepared statement each, whatever the number of links.
    existing: db.prepare<[string], { row_id: number }>('SELECT row_id FROM links WHERE row_id IN (SELECT value FROM json_each(?))'),
    // A batch's clicks are one JSON array of [link_row_id, at, device, country, referrer] rows:
    // one statement run per batch instead of one per click.
    insert: db.prepare<[string]>(
      `INSERT INTO clicks (link_row_id, at, device, country, referrer)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)`),
    bumpLink: db.prepare<[number, number]>('UPDATE links SET click_count = click_count + ? WHERE row_id = ?'),
    bumpDaily: db.prepare<[number, string, string, string, number]>(
      `INSERT INTO click_daily (link_row_id, day, dimension, value, clicks) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (link_row_id, day, dimension, value) DO UPDATE SET clicks = clicks + excluded.clicks`),
    perDay: db.prepare<[string, string], { link_row_id: number; day: string; clicks: number }>(
      `SELECT link_row_id, day, clicks FROM click_daily
       WHERE link_row_id IN (SELECT value FROM json_each(?)) AND day >= ? AND dimension = 'total'`),
    perValue: db.prepare<[string, string], { link_row_id: number; dimension: 'device' | 'country' | 'referrer'; value: string; clicks: number }>(
      `SELECT link_row_id, dimension, value, SUM(clicks) AS clicks FROM click_daily
       WHERE link_row_id IN (SELECT value FROM json_each(?)) AND day >= ? AND dimension <> 'total'
       GROUP BY link_row_id, dimension, value`),
  };
  const insertBatch = db.transaction((clicks: Click[]) => {
    // A link deleted between the visit and the flush takes its clicks along (as ON DELETE CASCADE
    // took the earlier ones); failing on it would fail, and keep retrying, the whole batch.
    const ids = [...new Set(clicks.map((c) => c.linkRowId))];
    const existing = new Set(q.existing.all(JSON.stringify(ids)).map((r) => r.row_id));
    const kept = clicks.filter((c) => existing.has(c.linkRowId));
    q.insert.run(JSON.stringify(kept.map((c) => [c.linkRowId, c.at.getTime(), c.device, c.country, c.referrer])));
    const { perLink, daily } = rollUp(kept);
    for (const [rowId, n] of perLink) q.bumpLink.run(n, rowId);
    for (const d of daily) q.bumpDaily.run(d.linkRowId, d.day, d.dimension, d.value, d.clicks);
  });
  return {
    async insertBatch(clicks) {
      if (clicks.length > 0) insertBatch.immediate(clicks);
    },
    async window(linkRowIds, fromDay) {
      if (linkRowIds.length === 0) return { perDay: [], perValue: [] };
      const ids = JSON.stringify(linkRowIds);
      return {
        perDay: q.perDay.all(ids, fromDay).map((r) => ({ linkRowId: r.link_row_id, day: r.day, clicks: r.clicks })),
        perValue: q.perValue.all(ids, fromDay).map((r) => ({ linkRowId: r.link_row_id, dimension: r.dimension, value: r.value, clicks: r.clicks })),
      };
    },
  };
}
