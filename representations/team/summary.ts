import type { Team } from '../../src/domain/types';
import type { ShapeContext } from '../context';
import { SUMMARY } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './summary.schema.json';

/** Summary team: name and size. */
export function shapeTeamSummary(team: Team, _ctx: ShapeContext) {
  return { id: team.id, name: team.name, memberCount: team.members.length };
}

/** team as summary: registered by ./index.ts. */
export const teamSummary = {
  type: SUMMARY,
  schema: 'team/summary.schema.json',
  document,
  shape: shapeTeamSummary,
  needs: {},
} satisfies RepresentationDefinition<Team>;
