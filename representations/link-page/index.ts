import type { ResourceDefinition } from '../definition';
import { linkPageFull } from './full';
import type { LinkPageNeeds } from './needs';
import type { LinkPage } from './page';
import { linkPagePartnerV3 } from './partner-v3';
import { linkPagePartnerV4 } from './partner-v4';
import { linkPageSummary } from './summary';

/** A page of the caller's links: full, summary, partner.v3 and partner.v4 paging. */
export const linkPage: ResourceDefinition<LinkPage, LinkPageNeeds> = [linkPageFull, linkPageSummary, linkPagePartnerV3, linkPagePartnerV4];
