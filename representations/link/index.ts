import type { Link } from '../../src/domain/types';
import type { ResourceDefinition } from '../definition';
import { linkFull } from './full';
import { linkPartnerV3 } from './partner-v3';
import { linkPartnerV4 } from './partner-v4';
import { linkSummary } from './summary';

/** A short link's public card: full, summary, partner.v3, partner.v4. */
export const link: ResourceDefinition<Link> = [linkFull, linkSummary, linkPartnerV3, linkPartnerV4];
