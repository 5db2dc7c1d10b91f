import { epochSeconds } from '../context';
import type { ShapeContext } from '../context';
import type { MeEntity } from './me';

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
