import type { ResourceDefinition } from '../definition';
import { linkPageFull } from './full';
import type { LinkPageNeeds } from './needs';
import type { LinkPage } from './page';
import { linkPagePartnerV3 } from './partner-v3';
import { linkPageSummary } from './summary';

/** A page of the caller's links: full, summary, partner.v3 paging. */
export const linkPage: ResourceDefinition<LinkPage, LinkPageNeeds> = [linkPageFull, linkPageSummary, linkPagePartnerV3];
