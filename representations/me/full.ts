import type { ShapeContext } from '../context';
import type { MeEntity } from './me';
import { FULL } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './full.schema.json';

/** Full me: profile, key kind and team memberships. */
export function shapeMeFull(me: MeEntity, _ctx: ShapeContext) {
  return {
    id: me.user.id,
    name: me.user.name,
    email: me.user.email,
    avatarUrl: me.user.avatarUrl,
    createdAt: me.user.createdAt.toISOString(),
    keyKind: me.keyKind,
    teams: me.teams.map((t) => ({ id: t.id, name: t.name, role: t.role })),
  };
}

/** me as full: registered by ./index.ts. */
export const meFull = {
  type: FULL,
  schema: 'me/full.schema.json',
  document,
  shape: shapeMeFull,
  needs: {},
} satisfies RepresentationDefinition<MeEntity>;
