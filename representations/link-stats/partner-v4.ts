import type { ShapeContext } from '../context';
import type { LinkStatsEntity } from './stats';
import { PARTNER_V4 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v4.schema.json';
import type { LinkStatsNeeds } from './needs';
import { shapeLinkStatsPartnerV3 } from './partner-v3';

/**
 * Frozen partner.v4 stats: exactly partner.v3's (v4 adds a link's tags, status and updated_at, which
 * stats do not have). v3's own shaper, so the two cannot drift apart. Never change a field.
 */
export function shapeLinkStatsPartnerV4(stats: LinkStatsEntity, ctx: ShapeContext) {
  return shapeLinkStatsPartnerV3(stats, ctx);
}

/** link-stats as partner.v4: registered by ./index.ts. */
export const linkStatsPartnerV4 = {
  type: PARTNER_V4,
  schema: 'link-stats/partner-v4.schema.json',
  document,
  shape: shapeLinkStatsPartnerV4,
  needs: { days: 30 },
} satisfies RepresentationDefinition<LinkStatsEntity, LinkStatsNeeds>;
