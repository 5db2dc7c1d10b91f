import { Router } from 'express';
import type { RequestHandler } from 'express';
import { SUMMARY } from '../../../representations/media-types';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { DashboardService } from '../../domain/dashboard';
import { negotiated } from '../negotiation/middleware';
import { HttpError } from '../problems';
import { sendComputed } from '../respond';
import { chosenType, requireKey, requirePrincipal } from '../state';
import { methodNotAllowed } from './method-not-allowed';

const RECENT_LINKS = 10;
const FULL_LINKS = 50;
const ANALYTICS_DAYS = 30;

/** The dashboard belongs to people: a partner key is authenticated but not allowed (403). */
const userKeysOnly: RequestHandler = function userKeysOnly(_req, res, next) {
  if (requirePrincipal(res).kind !== 'user') {
    throw new HttpError('forbidden', 'The dashboard is for user keys; partner keys read /api/links and /api/me.');
  }
  next();
};

/** `GET /api/dashboard`: the mobile summary, or the full web dashboard fanned out to the services. */
export function createDashboardRouter(deps: { dashboard: DashboardService; registry: Registry; ctx: () => ShapeContext }): Router {
  const reps = deps.registry.resource('dashboard');
  const router = Router();
  router
    .route('/api/dashboard')
    .get(requireKey, userKeysOnly, negotiated(reps.offers), async function getDashboard(req, res) {
      const userId = requirePrincipal(res).userId;
      const type = chosenType(res);
      // Each representation loads only what it shows: the summary never touches analytics.
      const data = type === SUMMARY
        ? await deps.dashboard.summary(userId, RECENT_LINKS)
        : await deps.dashboard.full(userId, FULL_LINKS, ANALYTICS_DAYS);
      sendComputed(req, res, { type, body: reps.get(type).shape(data, deps.ctx()), path: '/api/dashboard', offers: reps.offers });
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
