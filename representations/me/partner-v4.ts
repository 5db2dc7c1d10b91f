import type { ShapeContext } from '../context';
import type { MeEntity } from './me';
import { PARTNER_V4 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v4.schema.json';
import { shapeMePartnerV3 } from './partner-v3';

/**
 * Frozen partner.v4 me: exactly partner.v3's (an account records no updated_at, and tags and status
 * are a link's). v3's own shaper, so the two cannot drift apart. Never change a field.
 */
export function shapeMePartnerV4(me: MeEntity, ctx: ShapeContext) {
  return shapeMePartnerV3(me, ctx);
}

/** me as partner.v4: registered by ./index.ts. */
export const mePartnerV4 = {
  type: PARTNER_V4,
  schema: 'me/partner-v4.schema.json',
  document,
  shape: shapeMePartnerV4,
  needs: {},
} satisfies RepresentationDefinition<MeEntity>;
