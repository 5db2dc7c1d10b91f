import { CODE_PATTERN } from '../../domain/codes';
import { foundLink } from '../../domain/links';
import type { LinkService } from '../../domain/links';
import { andThen } from '../hot-route';
import type { HotRoute } from '../hot-route';
import type { LinkCards } from '../link-card';
import { createNegotiation } from '../negotiation/middleware';
import { HttpError } from '../problems';
import { servePrepared } from '../respond';

/** `GET /api/links/{code}`: the public card, prepared once per (link state, representation). */
export function createCardRoute(deps: { links: LinkService; cards: LinkCards }): HotRoute {
  const { links, cards } = deps;
  const negotiateRequest = createNegotiation(cards.offers);
  return {
    label: '/api/links/:code',
    api: true,
    answer(req, res, code, principal) {
      const type = negotiateRequest(req, principal);
      if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
      // A link in the hot-read cache is answered without waiting: the same rule, found or not-found.
      const hit = links.peek?.(code);
      const link = hit === undefined ? links.get(code) : foundLink(hit, code);
      return andThen(link, (found) => { servePrepared(req, res, cards.answer(found, type)); });
    },
  };
}
