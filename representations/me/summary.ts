import type { ShapeContext } from '../context';
import type { MeEntity } from './me';
import { SUMMARY } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './summary.schema.json';

/** Summary me: id, name, avatar. */
export function shapeMeSummary(me: MeEntity, _ctx: ShapeContext) {
  return { id: me.user.id, name: me.user.name, avatarUrl: me.user.avatarUrl };
}

/** me as summary: registered by ./index.ts. */
export const meSummary = {
  type: SUMMARY,
  schema: 'me/summary.schema.json',
  document,
  shape: shapeMeSummary,
  needs: {},
} satisfies RepresentationDefinition<MeEntity>;
