import type { ResourceDefinition } from '../definition';
import { meFull } from './full';
import type { MeEntity } from './me';
import { mePartnerV3 } from './partner-v3';
import { meSummary } from './summary';

/** The caller: full, summary, partner.v3. */
export const me: ResourceDefinition<MeEntity> = [meFull, meSummary, mePartnerV3];
