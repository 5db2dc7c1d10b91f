import type { ShapeContext } from '../context';
import type { MeEntity } from './me';

/** Summary me: id, name, avatar. */
export function shapeMeSummary(me: MeEntity, _ctx: ShapeContext) {
  return { id: me.user.id, name: me.user.name, avatarUrl: me.user.avatarUrl };
}
