import { Router } from 'express';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { VendorType } from '../../../representations/media-types';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { DashboardService } from '../../domain/dashboard';
import { HOT_READ_TTL_MS } from '../../store/hot-read-cache';
import type { Principal } from '../../domain/types';
import type { HotRoute } from '../hot-route';
import { createNegotiation } from '../negotiation/middleware';
import { HttpError } from '../problems';
import { prepareComputed, servePrepared } from '../respond';
import type { AnswerOptions, PreparedAnswer } from '../respond';
import { requestedFields } from '../sparse';
import type { SparseAnswers } from '../sparse';
import { principalRequired, scopeRequired, stateOf } from '../state';
import { methodNotAllowed } from './method-not-allowed';

/** Bytes of prepared dashboards kept (a full one is about 25 KB). */
const KEPT_BYTES = 8 * 2 ** 20;

/** The dashboard belongs to people: no key is a 401, a partner key is authenticated but not allowed (403). */
function userKeysOnly(principal: Principal | null): Principal {
  const user = principalRequired(principal);
  if (user.kind !== 'user') {
    throw new HttpError('forbidden', 'The dashboard is for user keys; partner keys read /api/links and /api/me.');
  }
  return scopeRequired(user, 'links:read');
}

/** Users' dashboards, prepared; what the dashboard route answers with. */
export interface DashboardAnswers {
  offers: readonly VendorType[];
  /** A prepared dashboard that is still current, if one is kept. */
  peek(userId: string, type: VendorType): PreparedAnswer | undefined;
  /** Fans out to the services and prepares the dashboard; kept unless a section degraded. */
  build(userId: string, type: VendorType): Promise<PreparedAnswer>;
}

/**
 * Prepares dashboards and, when `dataVersion` is given, keeps each user's for as long as the
 * store's hot reads may be stale (HOT_READ_TTL_MS) and no write of this process changed the data:
 * a dashboard costs one fan-out per user and second, not one per request.
 */
export function createDashboardAnswers(deps: { dashboard: DashboardService; registry: Registry; ctx: () => ShapeContext; dataVersion?: () => number; answerOptions?: AnswerOptions }): DashboardAnswers {
  const reps = deps.registry.resource('dashboard');
  const { dataVersion } = deps;
  const kept = dataVersion
    ? new LRUCache<string, { answer: PreparedAnswer; version: number }>({ maxSize: KEPT_BYTES, sizeCalculation: (k) => k.answer.body.length + 512, ttl: HOT_READ_TTL_MS })
    : null;
  return {
    offers: reps.offers,
    peek(userId, type) {
      const hit = kept?.get(`${userId} ${type}`);
      return hit !== undefined && hit.version === dataVersion?.() ? hit.answer : undefined;
    },
    async build(userId, type) {
      const version = dataVersion?.();
      // Each representation loads only what it shows: the summary never touches analytics.
      const { links, analyticsDays } = reps.get(type).needs;
      const data = analyticsDays === null
        ? await deps.dashboard.summary(userId, links)
        : await deps.dashboard.full(userId, links, analyticsDays);
      const answer = prepareComputed({ type, body: reps.get(type).shape(data, deps.ctx()), path: '/api/dashboard', offers: reps.offers }, deps.answerOptions);
      // A degraded dashboard is never kept: the next request tries the failed sections again.
      if (version !== undefined && data.degraded.length === 0) kept?.set(`${userId} ${type}`, { answer, version });
      return answer;
    },
  };
}

/** `GET /api/dashboard`: user keys only, negotiated, `?fields=` read, then the prepared dashboard or a fresh fan-out. */
export function createDashboardRoute(answers: DashboardAnswers, deps: { registry: Registry; sparse: SparseAnswers }): HotRoute {
  const negotiateRequest = createNegotiation(answers.offers);
  const reps = deps.registry.resource('dashboard');
  return {
    label: '/api/dashboard',
    api: true,
    session: true,
    answer(req, res, _param, principal) {
      const user = userKeysOnly(principal);
      const type = negotiateRequest(req, user);
      // Before any data is loaded: a bad selection costs no fan-out.
      const fields = requestedFields(req, reps.get(type));
      const serve = (whole: PreparedAnswer) => { servePrepared(req, res, deps.sparse.select(whole, fields)); };
      const kept = answers.peek(user.userId, type);
      if (kept !== undefined) return serve(kept);
      return answers.build(user.userId, type).then(serve);
    },
  };
}

/** Express's `GET /api/dashboard`: the dashboard route (after `signedIn`, which reads the session cookie), and 405 for other methods. */
export function createDashboardRouter(route: HotRoute, signedIn: RequestHandler): Router {
  const router = Router();
  router
    .route(route.label)
    .get(signedIn, function getDashboard(req, res) {
      return route.answer(req, res, '', stateOf(res).principal);
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
