import type { ShapeContext } from '../context';
import type { LinkStatsEntity } from './stats';
import { PARTNER_V3 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v3.schema.json';
import type { LinkStatsNeeds } from './needs';

/** Frozen partner.v3 stats: daily counts and devices as MOBILE, DESKTOP, OTHER (tablet, bot and the rest are OTHER). */
export function shapeLinkStatsPartnerV3(stats: LinkStatsEntity, _ctx: ShapeContext) {
  const devices = { MOBILE: 0, DESKTOP: 0, OTHER: 0 };
  for (const [device, clicks] of Object.entries(stats.devices)) {
    if (device === 'mobile') devices.MOBILE += clicks;
    else if (device === 'desktop') devices.DESKTOP += clicks;
    else devices.OTHER += clicks;
  }
  return {
    link_id: stats.code,
    total_clicks: stats.total,
    daily: stats.daily.map((d) => ({ date: d.date, clicks: d.clicks })),
    devices,
  };
}

/** link-stats as partner.v3: registered by ./index.ts. */
export const linkStatsPartnerV3 = {
  type: PARTNER_V3,
  schema: 'link-stats/partner-v3.schema.json',
  document,
  shape: shapeLinkStatsPartnerV3,
  needs: { days: 30 },
} satisfies RepresentationDefinition<LinkStatsEntity, LinkStatsNeeds>;
