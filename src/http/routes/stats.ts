import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import type { AnalyticsService } from '../../domain/analytics';
import { CODE_PATTERN } from '../../domain/codes';
import type { LinkService } from '../../domain/links';
import { negotiated } from '../negotiation/middleware';
import { HttpError } from '../problems';
import { prepareComputed, servePrepared } from '../respond';
import type { AnswerOptions } from '../respond';
import { fieldsQuery, selectedFields } from '../sparse';
import type { SparseAnswers } from '../sparse';
import { chosenType, requireKey, requirePrincipal, requireScope } from '../state';
import { methodNotAllowed } from './method-not-allowed';

/** `GET /api/links/{code}/stats`: the owner's click analytics of one link. */
export function createStatsRouter(deps: { links: LinkService; analytics: AnalyticsService; registry: Registry; ctx: () => ShapeContext; sparse: SparseAnswers; answerOptions?: AnswerOptions; signedIn: RequestHandler }): Router {
  const reps = deps.registry.resource('link-stats');
  const router = Router();
  router
    .route('/api/links/:code/stats')
    .get(deps.signedIn, requireKey, requireScope('stats:read'), negotiated(reps.offers), fieldsQuery(reps), async function getLinkStats(req, res) {
      const code = req.params.code as string;
      if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
      const link = await deps.links.getOwned(requirePrincipal(res).userId, code);
      const type = chosenType(res);
      const stats = (await deps.analytics.forLinks([link], reps.get(type).needs.days)).get(link.code)!;
      const whole = prepareComputed({ type, body: reps.get(type).shape(stats, deps.ctx()), path: req.path, offers: reps.offers }, deps.answerOptions);
      servePrepared(req, res, deps.sparse.select(deps.sparse.keep(whole), selectedFields(res)));
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
