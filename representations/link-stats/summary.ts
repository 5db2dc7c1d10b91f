import type { ShapeContext } from '../context';
import type { LinkStatsEntity } from './stats';
import { SUMMARY } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './summary.schema.json';
import type { LinkStatsNeeds } from './needs';

/** Summary stats: the all-time total and the last 7 days. */
export function shapeLinkStatsSummary(stats: LinkStatsEntity, _ctx: ShapeContext) {
  return {
    code: stats.code,
    total: stats.total,
    last7Days: stats.daily.slice(-7).map((d) => ({ date: d.date, clicks: d.clicks })),
  };
}

/** link-stats as summary: registered by ./index.ts. */
export const linkStatsSummary = {
  type: SUMMARY,
  schema: 'link-stats/summary.schema.json',
  document,
  shape: shapeLinkStatsSummary,
  needs: { days: 30 },
} satisfies RepresentationDefinition<LinkStatsEntity, LinkStatsNeeds>;
