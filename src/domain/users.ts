import type { UserRepository } from './repository';
import { DomainError } from './errors';
import type { Team, User } from './types';

/** A user's membership of a team. */
export interface Membership {
  id: string;
  name: string;
  role: string;
}

/** The users service: profiles and team membership. */
export interface UserService {
  get(userId: string): Promise<User>;
  teamsOf(userId: string): Promise<Membership[]>;
  /** A team as seen by one of its members; for anyone else it does not exist. */
  teamForMember(teamId: string, userId: string): Promise<Team>;
}

/** What a team id can look like. */
const TEAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Builds the users service over a repository. */
export function createUserService(repo: UserRepository): UserService {
  return {
    async get(userId) {
      const user = await repo.findById(userId);
      if (!user) throw new DomainError('not-found', 'No such user.');
      return user;
    },
    teamsOf: (userId) => repo.teamsOf(userId),
    async teamForMember(teamId, userId) {
      // Team ids are this service's own: anything else (a NUL, a slash, 500 characters) names no team and reaches no store.
      if (!TEAM_ID.test(teamId)) throw new DomainError('not-found', `No team ${teamId.slice(0, 80)} of yours exists.`);
      const team = await repo.findTeam(teamId);
      if (!team || !team.members.some((m) => m.user.id === userId)) throw new DomainError('not-found', `No team ${teamId} of yours exists.`);
      return team;
    },
  };
}
