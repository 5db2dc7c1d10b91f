import type { ResourceDefinition } from '../definition';
import { meFull } from './full';
import type { MeEntity } from './me';
import { mePartnerV3 } from './partner-v3';
import { mePartnerV4 } from './partner-v4';
import { meSummary } from './summary';

/** The caller: full, summary, partner.v3, partner.v4. */
export const me: ResourceDefinition<MeEntity> = [meFull, meSummary, mePartnerV3, mePartnerV4];
