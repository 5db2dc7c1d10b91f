import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { UserService } from '../../domain/users';
import { negotiated } from '../negotiation/middleware';
import { prepareComputed, servePrepared } from '../respond';
import type { AnswerOptions } from '../respond';
import { fieldsQuery, selectedFields } from '../sparse';
import type { SparseAnswers } from '../sparse';
import { chosenType, requireKey, requirePrincipal } from '../state';
import { methodNotAllowed } from './method-not-allowed';

/** `GET /api/me` and `GET /api/teams/{id}`: who the key belongs to, and the teams they are in. */
export function createAccountRouter(deps: { users: UserService; registry: Registry; ctx: () => ShapeContext; sparse: SparseAnswers; answerOptions?: AnswerOptions; signedIn: RequestHandler }): Router {
  const me = deps.registry.resource('me');
  const team = deps.registry.resource('team');
  const router = Router();
  const send = (req: Request, res: Response, r: Parameters<typeof prepareComputed>[0]) => {
    servePrepared(req, res, deps.sparse.select(deps.sparse.keep(prepareComputed(r, deps.answerOptions)), selectedFields(res)));
  };

  router
    .route('/api/me')
    .get(deps.signedIn, requireKey, negotiated(me.offers), fieldsQuery(me), async function getMe(req, res) {
      const principal = requirePrincipal(res);
      const [user, teams] = await Promise.all([deps.users.get(principal.userId), deps.users.teamsOf(principal.userId)]);
      const type = chosenType(res);
      send(req, res, { type, body: me.get(type).shape({ user, teams, keyKind: principal.kind }, deps.ctx()), path: '/api/me', offers: me.offers });
    })
    .all(methodNotAllowed('GET, HEAD'));

  router
    .route('/api/teams/:id')
    .get(deps.signedIn, requireKey, negotiated(team.offers), fieldsQuery(team), async function getTeam(req, res) {
      const found = await deps.users.teamForMember(req.params.id as string, requirePrincipal(res).userId);
      const type = chosenType(res);
      send(req, res, { type, body: team.get(type).shape(found, deps.ctx()), path: req.path, offers: team.offers });
    })
    .all(methodNotAllowed('GET, HEAD'));

  return router;
}
