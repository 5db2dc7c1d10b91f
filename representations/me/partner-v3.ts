import { epochSeconds } from '../context';
import type { ShapeContext } from '../context';
import type { MeEntity } from './me';
import { PARTNER_V3 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v3.schema.json';

/** Frozen partner.v3 me: the account behind the key. Never change a field; add a new media type. */
export function shapeMePartnerV3(me: MeEntity, _ctx: ShapeContext) {
  return {
    id: me.user.id,
    name: me.user.name,
    email: me.user.email,
    account_type: me.keyKind,
    created_at: epochSeconds(me.user.createdAt),
  };
}

/** me as partner.v3: registered by ./index.ts. */
export const mePartnerV3 = {
  type: PARTNER_V3,
  schema: 'me/partner-v3.schema.json',
  document,
  shape: shapeMePartnerV3,
  needs: {},
} satisfies RepresentationDefinition<MeEntity>;
