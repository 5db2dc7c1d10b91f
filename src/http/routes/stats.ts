import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { AnalyticsService } from '../../domain/analytics';
import { CODE_PATTERN } from '../../domain/codes';
import type { LinkService } from '../../domain/links';
import type { RouteRecord } from '../pipeline/route';
import { HttpError } from '../answer/problems';
import { prepareComputed, servePrepared } from '../answer/respond';
import type { AnswerOptions } from '../answer/respond';
import type { SparseAnswers } from '../answer/sparse';
import type { KeptAnswers } from '../answer/kept-answers';

/** `GET /api/links/{code}/stats`: the owner's click analytics of one link. */
export function statsRoutes(deps: { links: LinkService; analytics: AnalyticsService; registry: Registry; ctx: () => ShapeContext; sparse: SparseAnswers; kept?: KeptAnswers; answerOptions?: AnswerOptions }): RouteRecord[] {
  const reps = deps.registry.resource('link-stats');
  return [{
    method: 'GET', path: '/api/links/:code/stats', caller: 'signed-in', session: true, scope: 'stats:read', offers: reps, fields: true,
    async handle(req, res, { params, principal, type, fields }) {
      const code = params.code!;
      if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
      // Kept per (owner, link, representation) while current: the owner was checked when it was built.
      const key = `stats ${principal!.userId} ${code} ${type}`;
      const hit = deps.kept?.get(key);
      if (hit !== undefined) return void servePrepared(req, res, deps.sparse.select(hit, fields));
      const version = deps.kept?.version();
      const link = await deps.links.getOwned(principal!.userId, code);
      const stats = (await deps.analytics.forLinks([link], reps.get(type).needs.days)).get(link.code)!;
      const whole = deps.sparse.keep(prepareComputed({ type, body: reps.get(type).shape(stats, deps.ctx()), path: `/api/links/${link.code}/stats`, offers: reps.offers }, deps.answerOptions));
      deps.kept?.set(key, whole, version);
      servePrepared(req, res, deps.sparse.select(whole, fields));
    },
  }];
}
