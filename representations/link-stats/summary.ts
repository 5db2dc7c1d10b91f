import type { ShapeContext } from '../context';
import type { LinkStatsEntity } from './stats';

/** Summary stats: the all-time total and the last 7 days. */
export function shapeLinkStatsSummary(stats: LinkStatsEntity, _ctx: ShapeContext) {
  return {
    code: stats.code,
    total: stats.total,
    last7Days: stats.daily.slice(-7).map((d) => ({ date: d.date, clicks: d.clicks })),
  };
}
