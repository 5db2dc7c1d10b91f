import type { ShapeContext } from '../context';
import { asList } from './stats';
import type { LinkStatsEntity } from './stats';
import { FULL } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './full.schema.json';
import type { LinkStatsNeeds } from './needs';

/** Full stats: 30 days by day, country, device class and referrer host. */
export function shapeLinkStatsFull(stats: LinkStatsEntity, _ctx: ShapeContext) {
  return {
    code: stats.code,
    total: stats.total,
    window: { from: stats.daily[0]?.date ?? '', to: stats.daily[stats.daily.length - 1]?.date ?? '', days: stats.daily.length },
    daily: stats.daily.map((d) => ({ date: d.date, clicks: d.clicks })),
    countries: asList(stats.countries, 'country'),
    devices: asList(stats.devices, 'device'),
    referrers: asList(stats.referrers, 'referrer'),
  };
}

/** link-stats as full: registered by ./index.ts. */
export const linkStatsFull = {
  type: FULL,
  schema: 'link-stats/full.schema.json',
  document,
  shape: shapeLinkStatsFull,
  needs: { days: 30 },
} satisfies RepresentationDefinition<LinkStatsEntity, LinkStatsNeeds>;
