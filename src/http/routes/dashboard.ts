import { Router } from 'express';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { VendorType } from '../../../representations/media-types';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { DashboardService } from '../../domain/dashboard';
import { HOT_READ_TTL_MS } from '../../store/hot-read-cache';
import { negotiated } from '../negotiation/middleware';
import { HttpError } from '../problems';
import { prepareComputed, servePrepared } from '../respond';
import type { AnswerOptions, PreparedAnswer } from '../respond';
import { fieldsQuery, selectedFields } from '../sparse';
import type { SparseAnswers } from '../sparse';
import { chosenType, requireKey, requirePrincipal } from '../state';
import { methodNotAllowed } from './method-not-allowed';

/** Bytes of prepared dashboards kept (a full one is about 25 KB). */
const KEPT_BYTES = 8 * 2 ** 20;

/** The dashboard belongs to people: a partner key is authenticated but not allowed (403). */
const userKeysOnly: RequestHandler = function userKeysOnly(_req, res, next) {
  if (requirePrincipal(res).kind !== 'user') {
    throw new HttpError('forbidden', 'The dashboard is for user keys; partner keys read /api/links and /api/me.');
  }
  next();
};

/** Users' dashboards, prepared; shared by the route and the fast path. */
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

/** `GET /api/dashboard`: the mobile summary, or the full web dashboard fanned out to the services. */
export function createDashboardRouter(answers: DashboardAnswers, deps: { registry: Registry; sparse: SparseAnswers }): Router {
  const router = Router();
  router
    .route('/api/dashboard')
    .get(requireKey, userKeysOnly, negotiated(answers.offers), fieldsQuery(deps.registry.resource('dashboard')), async function getDashboard(req, res) {
      const userId = requirePrincipal(res).userId;
      const type = chosenType(res);
      const whole = answers.peek(userId, type) ?? await answers.build(userId, type);
      servePrepared(req, res, deps.sparse.select(whole, selectedFields(res)));
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
