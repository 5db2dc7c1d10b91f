import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { UserService } from '../../domain/users';
import { pathOf } from '../pipeline/route';
import type { RouteRecord } from '../pipeline/route';
import { prepareComputed, servePrepared } from '../answer/respond';
import type { AnswerOptions } from '../answer/respond';
import type { SparseAnswers } from '../answer/sparse';

/** `GET /api/me` and `GET /api/teams/{id}`: who the caller is, and the teams they are in. */
export function accountRoutes(deps: { users: UserService; registry: Registry; ctx: () => ShapeContext; sparse: SparseAnswers; answerOptions?: AnswerOptions }): RouteRecord[] {
  const me = deps.registry.resource('me');
  const team = deps.registry.resource('team');
  const send = (req: IncomingMessage, res: ServerResponse, r: Parameters<typeof prepareComputed>[0], fields: Parameters<SparseAnswers['select']>[1]) => {
    servePrepared(req, res, deps.sparse.select(deps.sparse.keep(prepareComputed(r, deps.answerOptions)), fields));
  };
  return [
    {
      method: 'GET', path: '/api/me', caller: 'signed-in', session: true, offers: me, fields: true,
      async handle(req, res, { principal, type, fields }) {
        const { userId, kind } = principal!;
        const [user, teams] = await Promise.all([deps.users.get(userId), deps.users.teamsOf(userId)]);
        send(req, res, { type, body: me.get(type).shape({ user, teams, keyKind: kind }, deps.ctx()), path: '/api/me', offers: me.offers }, fields);
      },
    },
    {
      method: 'GET', path: '/api/teams/:id', caller: 'signed-in', session: true, offers: team, fields: true,
      async handle(req, res, { params, principal, type, fields }) {
        const found = await deps.users.teamForMember(params.id!, principal!.userId);
        send(req, res, { type, body: team.get(type).shape(found, deps.ctx()), path: pathOf(req), offers: team.offers }, fields);
      },
    },
  ];
}
