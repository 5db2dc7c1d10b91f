import type { Team } from '../../src/domain/types';
import type { ResourceDefinition } from '../definition';
import { teamFull } from './full';
import { teamSummary } from './summary';

/** A team, to its members: full and summary; first-party only (the partner contracts answer 406). */
export const team: ResourceDefinition<Team> = [teamFull, teamSummary];
