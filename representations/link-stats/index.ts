import type { ResourceDefinition } from '../definition';
import { linkStatsFull } from './full';
import type { LinkStatsNeeds } from './needs';
import { linkStatsPartnerV3 } from './partner-v3';
import { linkStatsPartnerV4 } from './partner-v4';
import type { LinkStatsEntity } from './stats';
import { linkStatsSummary } from './summary';

/** A link's click analytics: full, summary, partner.v3, partner.v4. */
export const linkStats: ResourceDefinition<LinkStatsEntity, LinkStatsNeeds> = [linkStatsFull, linkStatsSummary, linkStatsPartnerV3, linkStatsPartnerV4];
