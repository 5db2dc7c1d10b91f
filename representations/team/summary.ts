import type { Team } from '../../src/domain/types';
import type { ShapeContext } from '../context';

/** Summary team: name and size. */
export function shapeTeamSummary(team: Team, _ctx: ShapeContext) {
  return { id: team.id, name: team.name, memberCount: team.members.length };
}
