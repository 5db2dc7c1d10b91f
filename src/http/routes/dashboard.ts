import type { VendorType } from '../../../representations/media-types';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { DashboardService } from '../../domain/dashboard';
import { createKeptAnswers } from '../answer/kept-answers';
import type { RouteRecord } from '../pipeline/route';
import { prepareComputed, servePrepared } from '../answer/respond';
import type { AnswerOptions, PreparedAnswer } from '../answer/respond';
import type { SparseAnswers } from '../answer/sparse';

/** Bytes of prepared dashboards kept (a full one is about 25 KB). */
const KEPT_BYTES = 8 * 2 ** 20;

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
  const kept = createKeptAnswers({ dataVersion: deps.dataVersion, bytes: KEPT_BYTES });
  return {
    offers: reps.offers,
    peek: (userId, type) => kept.get(`${userId} ${type}`),
    async build(userId, type) {
      const version = kept.version();
      // Each representation loads only what it shows: the summary never touches analytics.
      const { links, analyticsDays } = reps.get(type).needs;
      const data = analyticsDays === null
        ? await deps.dashboard.summary(userId, links)
        : await deps.dashboard.full(userId, links, analyticsDays);
      const answer = prepareComputed({ type, body: reps.get(type).shape(data, deps.ctx()), path: '/api/dashboard', offers: reps.offers }, deps.answerOptions);
      // A degraded dashboard is never kept: the next request tries the failed sections again.
      if (data.degraded.length === 0) kept.set(`${userId} ${type}`, answer, version);
      return answer;
    },
  };
}

/** `GET /api/dashboard`: people only (no partner keys), negotiated, `?fields=` read, then the prepared dashboard or a fresh fan-out. */
export function dashboardRoute(answers: DashboardAnswers, deps: { registry: Registry; sparse: SparseAnswers }): RouteRecord {
  return {
    method: 'GET', path: '/api/dashboard', caller: 'user', session: true, scope: 'links:read', offers: deps.registry.resource('dashboard'), fields: true,
    handle(req, res, { principal, type, fields }) {
      const serve = (whole: PreparedAnswer) => { servePrepared(req, res, deps.sparse.select(whole, fields)); };
      const kept = answers.peek(principal!.userId, type);
      if (kept !== undefined) return serve(kept);
      return answers.build(principal!.userId, type).then(serve);
    },
  };
}
