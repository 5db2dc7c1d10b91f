import { CODE_PATTERN } from '../../domain/codes';
import { foundLink } from '../../domain/links';
import type { LinkService } from '../../domain/links';
import { andThen } from '../hot-route';
import type { HotRoute } from '../hot-route';
import type { LinkCards } from '../link-card';
import { createNegotiation } from '../negotiation/middleware';
import { HttpError } from '../problems';
import { servePrepared } from '../respond';
import { requestedFields } from '../sparse';
import type { SparseAnswers } from '../sparse';
import type { Registry } from '../../../representations/registry';

/** `GET /api/links/{code}`: the public card, prepared once per (link state, representation, field selection). */
export function createCardRoute(deps: { links: LinkService; cards: LinkCards; registry: Registry; sparse: SparseAnswers }): HotRoute {
  const { links, cards, sparse } = deps;
  const reps = deps.registry.resource('link');
  const negotiateRequest = createNegotiation(cards.offers);
  return {
    label: '/api/links/:code',
    api: true,
    // Public and shared-cacheable: the session cookie changes nothing here, so it is not even read.
    session: false,
    answer(req, res, code, principal) {
      const type = negotiateRequest(req, principal);
      const fields = requestedFields(req, reps.get(type));
      if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
      // A link in the hot-read cache is answered without waiting: the same rule, found or not-found.
      const hit = links.peek?.(code);
      const link = hit === undefined ? links.get(code) : foundLink(hit, code);
      return andThen(link, (found) => { servePrepared(req, res, sparse.select(cards.answer(found, type), fields)); });
    },
  };
}
