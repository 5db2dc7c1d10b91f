import type { Team } from '../../src/domain/types';
import type { ShapeContext } from '../context';
import { FULL } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './full.schema.json';

/** Full team: its members with their roles (no e-mail addresses: teammates see names only). */
export function shapeTeamFull(team: Team, _ctx: ShapeContext) {
  return {
    id: team.id,
    name: team.name,
    createdAt: team.createdAt.toISOString(),
    members: team.members.map((m) => ({ id: m.user.id, name: m.user.name, avatarUrl: m.user.avatarUrl, role: m.role })),
  };
}

/** team as full: registered by ./index.ts. */
export const teamFull = {
  type: FULL,
  schema: 'team/full.schema.json',
  document,
  shape: shapeTeamFull,
  needs: {},
} satisfies RepresentationDefinition<Team>;
