import express, { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { PARTNER_V3 } from '../../../representations/media-types';
import type { Registry } from '../../../representations/registry';
import { OTHER_SCHEMAS } from '../../../representations/registry';
import { PARTNER_V3_POINTERS, readCreate, readPartnerV3Create, readPartnerV3Update, readUpdate } from '../../../representations/link-input/read';
import { CODE_PATTERN } from '../../domain/codes';
import { DomainError } from '../../domain/errors';
import { decodeCursor } from '../../domain/links';
import type { LinkService } from '../../domain/links';
import type { Link } from '../../domain/types';
import { readBody, MAX_BODY_BYTES } from '../body';
import { ifMatchPasses } from '../conditional';
import { negotiated } from '../negotiation/middleware';
import { HttpError, validationFailed } from '../problems';
import { alternatesHeader, prepareAnswer, prepareComputed, servePrepared } from '../respond';
import type { AnswerOptions } from '../respond';
import { fieldsQuery, selectedFields } from '../sparse';
import type { SparseAnswers } from '../sparse';
import type { LinkCards } from '../link-card';
import type { HotRoute } from '../hot-route';
import { chosenType, requireKey, requirePrincipal, requireScope, stateOf } from '../state';
import { methodNotAllowed } from './method-not-allowed';

/** What the links routes need. */
export interface LinksRouteDeps {
  links: LinkService;
  registry: Registry;
  cards: LinkCards;
  /** `GET /api/links/{code}`, the public card: one HotRoute, also dispatched to without Express. */
  card: HotRoute;
  baseUrl: string;
  now: () => Date;
  sparse: SparseAnswers;
  answerOptions?: AnswerOptions;
  /** Reads the web session cookie (and checks CSRF) where no Authorization was sent; the public card never runs it. */
  signedIn: RequestHandler;
}

const MAX_PAGE_SIZE = 100;
const PRIVATE = 'private, no-cache';

/** Routes of `/api/links`: the public card, the caller's listing, create, update, delete. */
export function createLinksRouter(deps: LinksRouteDeps): Router {
  const { links, registry, cards, baseUrl } = deps;
  const linkReps = registry.resource('link');
  const pageReps = registry.resource('link-page');
  const ctx = () => ({ baseUrl, now: deps.now() });
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

  const codeParam = (req: Request) => {
    const code = req.params.code as string;
    if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
    return code;
  };

  // Created and edited links answer privately (the caller's own view) with the card's prepared bytes.
  function sendLink(res: Response, link: Link, created = false) {
    const type = chosenType(res);
    const card = cards.answer(link, type);
    const answer = prepareAnswer({
      ...deps.answerOptions,
      type,
      etag: card.etag,
      cacheControl: PRIVATE,
      alternates: alternatesHeader(`/api/links/${link.code}`, linkReps.offers, type),
      body: card.body,
    });
    if (created) res.setHeader('Location', `/api/links/${link.code}`);
    res.writeHead(created ? 201 : 200, answer.ok).end(answer.body);
  }

  const createFormats = {
    'application/json': { kind: 'first-party' as const, validate: registry.validator(OTHER_SCHEMAS.linkCreate) },
    [PARTNER_V3]: { kind: 'partner' as const, validate: registry.validator(OTHER_SCHEMAS.linkPartnerV3Create) },
  };
  const updateFormats = {
    'application/json': { kind: 'first-party' as const, validate: registry.validator(OTHER_SCHEMAS.linkUpdate) },
    'application/merge-patch+json': { kind: 'first-party' as const, validate: registry.validator(OTHER_SCHEMAS.linkUpdate) },
    [PARTNER_V3]: { kind: 'partner' as const, validate: registry.validator(OTHER_SCHEMAS.linkPartnerV3Update) },
  };

  router
    .route('/api/links')
    .get(deps.signedIn, requireKey, requireScope('links:read'), negotiated(pageReps.offers), fieldsQuery(pageReps), async function listLinks(req, res) {
      const principal = requirePrincipal(res);
      const type = chosenType(res);
      const { cursor, limit } = pagingQuery(req, pageReps.get(type).needs.pageSize);
      const page = await links.list(principal.userId, limit, cursor);
      const query = (c: string | null) => `${baseUrl}/api/links${toQuery({ cursor: c, limit: req.query.limit ? String(limit) : null })}`;
      const next = page.nextCursor === null ? null : query(page.nextCursor);
      const whole = prepareComputed({
        type,
        body: pageReps.get(type).shape({ page, pageSize: limit, self: query(cursor), next }, ctx()),
        path: '/api/links',
        offers: pageReps.offers,
        link: next === null ? undefined : `<${next}>; rel="next"`,
      }, deps.answerOptions);
      servePrepared(req, res, deps.sparse.select(deps.sparse.keep(whole), selectedFields(res)));
    })
    .post(deps.signedIn, requireKey, requireScope('links:write'), negotiated(linkReps.offers), rawBody, async function createLink(req, res) {
      const principal = requirePrincipal(res);
      const { kind, body } = readBody(req, createFormats);
      const input = kind === 'partner' ? readPartnerV3Create(body) : readCreate(body);
      const link = await inPartnerTerms(kind, links.create(principal.userId, input));
      sendLink(res, link, true);
    })
    .all(methodNotAllowed('GET, HEAD, POST'));

  router
    .route(deps.card.label)
    .get(function getLinkCard(req, res) {
      return deps.card.answer(req, res, req.params.code as string, stateOf(res).principal);
    })
    .patch(deps.signedIn, requireKey, requireScope('links:write'), negotiated(linkReps.offers), rawBody, async function updateLink(req, res) {
      const principal = requirePrincipal(res);
      const code = codeParam(req);
      const { kind, body } = readBody(req, updateFormats);
      const changes = kind === 'partner' ? readPartnerV3Update(body) : readUpdate(body);
      const ifMatch = req.headers['if-match'];
      const link = await inPartnerTerms(kind, links.update(principal.userId, code, changes, (current) => ifMatchPasses(ifMatch, cards.isCurrentVersion(current))));
      sendLink(res, link);
    })
    .delete(deps.signedIn, requireKey, requireScope('links:write'), async function deleteLink(req, res) {
      const principal = requirePrincipal(res);
      const ifMatch = req.headers['if-match'];
      await links.remove(principal.userId, codeParam(req), (current) => ifMatchPasses(ifMatch, cards.isCurrentVersion(current)));
      res.statusCode = 204;
      res.end();
    })
    .all(methodNotAllowed('GET, HEAD, PATCH, DELETE'));

  return router;
}

/** Reads `cursor` and `limit` (1–100, default per representation); 400 on anything else. */
function pagingQuery(req: Request, defaultSize: number): { cursor: string | null; limit: number } {
  const { cursor, limit } = req.query;
  if (cursor !== undefined && (typeof cursor !== 'string' || decodeCursor(cursor) === null)) {
    throw new HttpError('invalid-cursor', 'cursor must be a next_cursor/nextCursor value returned by a previous page.');
  }
  if (limit === undefined) return { cursor: cursor ?? null, limit: defaultSize };
  const n = typeof limit === 'string' && /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE_SIZE)) throw new HttpError('invalid-query', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  return { cursor: cursor ?? null, limit: n };
}

function toQuery(params: Record<string, string | null>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== null);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

/** Renames field pointers of a domain 422 to the partner body's names. */
async function inPartnerTerms<T>(kind: 'first-party' | 'partner', work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (kind !== 'partner' || !(err instanceof DomainError) || !err.fieldErrors) throw err;
    const errors = err.fieldErrors.map((e) => {
      const pointer = PARTNER_V3_POINTERS[e.pointer] ?? e.pointer;
      return { pointer, detail: e.detail.replace(e.pointer.slice(1), pointer.slice(1)) };
    });
    throw validationFailed(errors);
  }
}
