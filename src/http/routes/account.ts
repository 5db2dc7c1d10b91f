import { Router } from 'express';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { UserService } from '../../domain/users';
import { negotiated } from '../negotiation/middleware';
import { sendComputed } from '../respond';
import { chosenType, requireKey, requirePrincipal } from '../state';
import { methodNotAllowed } from './method-not-allowed';

/** `GET /api/me` and `GET /api/teams/{id}`: who the key belongs to, and the teams they are in. */
export function createAccountRouter(deps: { users: UserService; registry: Registry; ctx: () => ShapeContext }): Router {
  const me = deps.registry.resource('me');
  const team = deps.registry.resource('team');
  const router = Router();

  router
    .route('/api/me')
    .get(requireKey, negotiated(me.offers), async function getMe(req, res) {
      const principal = requirePrincipal(res);
      const [user, teams] = await Promise.all([deps.users.get(principal.userId), deps.users.teamsOf(principal.userId)]);
      const type = chosenType(res);
      sendComputed(req, res, { type, body: me.get(type).shape({ user, teams, keyKind: principal.kind }, deps.ctx()), path: '/api/me', offers: me.offers });
    })
    .all(methodNotAllowed('GET, HEAD'));

  router
    .route('/api/teams/:id')
    .get(requireKey, negotiated(team.offers), async function getTeam(req, res) {
      const found = await deps.users.teamForMember(req.params.id as string, requirePrincipal(res).userId);
      const type = chosenType(res);
      sendComputed(req, res, { type, body: team.get(type).shape(found, deps.ctx()), path: req.path, offers: team.offers });
    })
    .all(methodNotAllowed('GET, HEAD'));

  return router;
}
