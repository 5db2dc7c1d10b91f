import { CODE_PATTERN } from '../../domain/codes';
import { foundLink } from '../../domain/links';
import type { LinkService } from '../../domain/links';
import { andThen } from '../pipeline/maybe';
import type { LinkCards } from '../answer/link-card';
import type { RouteRecord } from '../pipeline/route';
import { HttpError } from '../answer/problems';
import { servePrepared } from '../answer/respond';
import type { SparseAnswers } from '../answer/sparse';
import type { Registry } from '../../../representations/registry';

/** `GET /api/links/{code}`: the public card, prepared once per (link state, representation, field selection). */
export function cardRoute(deps: { links: LinkService; cards: LinkCards; registry: Registry; sparse: SparseAnswers }): RouteRecord {
  const { links, cards, sparse } = deps;
  return {
    // Public and shared-cacheable: the session cookie changes nothing here, so it is not even read.
    method: 'GET', path: '/api/links/:code', caller: 'anyone', offers: deps.registry.resource('link'), fields: true,
    handle(req, res, { params, type, fields }) {
      const code = params.code!;
      if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
      // A link in the hot-read cache is answered without waiting: the same rule, found or not-found.
      const hit = links.peek?.(code);
      const link = hit === undefined ? links.get(code) : foundLink(hit, code);
      return andThen(link, (found) => { servePrepared(req, res, sparse.select(cards.answer(found, type), fields)); });
    },
  };
}
