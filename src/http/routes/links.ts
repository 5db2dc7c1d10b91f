import type { ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import type { VendorType } from '../../../representations/media-types';
import type { Registry } from '../../../representations/registry';
import { inBodyTerms, LINK_CREATE_FORMATS, LINK_UPDATE_FORMATS } from '../../../representations/link-input/formats';
import type { LinkBodyFormat } from '../../../representations/link-input/formats';
import { CODE_PATTERN } from '../../domain/codes';
import { DomainError } from '../../domain/errors';
import { decodeCursor } from '../../domain/links';
import type { LinkService } from '../../domain/links';
import type { Link } from '../../domain/types';
import { readBody } from '../answer/body';
import type { BodyFormats } from '../answer/body';
import { ifMatchPasses } from '../answer/conditional';
import { HttpError, validationFailed } from '../answer/problems';
import { alternatesHeader, prepareAnswer, prepareComputed, servePrepared, withNotices } from '../answer/respond';
import type { AnswerOptions } from '../answer/respond';
import type { SparseAnswers } from '../answer/sparse';
import type { KeptAnswers } from '../answer/kept-answers';
import type { LinkCards } from '../answer/link-card';
import { queryOf } from '../pipeline/route';
import { stateOf } from '../pipeline/state';
import type { RouteRecord } from '../pipeline/route';

/** What the links routes need. */
export interface LinksRouteDeps {
  links: LinkService;
  registry: Registry;
  cards: LinkCards;
  /** `GET /api/links/{code}`, the public card: one route, also dispatched to without Express. */
  card: RouteRecord;
  baseUrl: string;
  now: () => Date;
  sparse: SparseAnswers;
  /** Pages kept while the store vouches for them; none when not given. */
  kept?: KeptAnswers;
  answerOptions?: AnswerOptions;
}

const MAX_PAGE_SIZE = 100;
const PRIVATE = 'private, no-cache';

/** Routes of `/api/links`: the caller's listing, create, the public card, update, delete. */
export function linksRoutes(deps: LinksRouteDeps): RouteRecord[] {
  const { links, registry, cards, baseUrl } = deps;
  const linkReps = registry.resource('link');
  const pageReps = registry.resource('link-page');
  const ctx = () => ({ baseUrl, now: deps.now() });

  const codeParam = (params: Record<string, string>) => {
    const code = params.code!;
    if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
    return code;
  };

  // Created and edited links answer privately (the caller's own view) with the card's prepared bytes.
  function sendLink(res: ServerResponse, type: VendorType, link: Link, created = false) {
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
    const { notices, retired } = stateOf(res);
    res.writeHead(created ? 201 : 200, withNotices(answer.ok, notices, retired)).end(answer.body);
  }

  // The body types each write takes are representations/link-input/formats.ts's tables, compiled once.
  const createFormats = validatorsOf(registry, LINK_CREATE_FORMATS);
  const updateFormats = validatorsOf(registry, LINK_UPDATE_FORMATS);

  return [
    {
      method: 'GET', path: '/api/links', caller: 'signed-in', session: true, scope: 'links:read', offers: pageReps, fields: true,
      async handle(req, res, { principal, type, fields }) {
        const query = queryOf(req);
        const { cursor, limit } = pagingQuery(query, pageReps.get(type).needs.pageSize);
        // A page is kept per (owner, representation, cursor, size) while the data it shows is current.
        const key = `page ${principal!.userId} ${type} ${cursor ?? ''} ${query.limit ? limit : ''}`;
        const hit = deps.kept?.get(key);
        if (hit !== undefined) return void servePrepared(req, res, deps.sparse.select(hit, fields));
        const version = deps.kept?.version();
        const page = await links.list(principal!.userId, limit, cursor);
        const pageUrl = (c: string | null) => `${baseUrl}/api/links${toQuery({ cursor: c, limit: query.limit ? String(limit) : null })}`;
        const next = page.nextCursor === null ? null : pageUrl(page.nextCursor);
        const whole = prepareComputed({
          type,
          body: pageReps.get(type).shape({ page, pageSize: limit, self: pageUrl(cursor), next }, ctx()),
          path: '/api/links',
          offers: pageReps.offers,
          link: next === null ? undefined : `<${next}>; rel="next"`,
        }, deps.answerOptions);
        const kept = deps.sparse.keep(whole);
        deps.kept?.set(key, kept, version);
        servePrepared(req, res, deps.sparse.select(kept, fields));
      },
    },
    {
      method: 'POST', path: '/api/links', caller: 'signed-in', session: true, scope: 'links:write', offers: linkReps, body: true,
      async handle(req, res, { principal, type }) {
        const { kind, body } = readBody(req, createFormats);
        const format = LINK_CREATE_FORMATS[kind]!;
        sendLink(res, type, await inTermsOf(format, links.create(principal!.userId, format.read(body))), true);
      },
    },
    deps.card,
    {
      method: 'PATCH', path: '/api/links/:code', caller: 'signed-in', session: true, scope: 'links:write', offers: linkReps, body: true,
      async handle(req, res, { params, principal, type }) {
        const code = codeParam(params);
        const { kind, body } = readBody(req, updateFormats);
        const format = LINK_UPDATE_FORMATS[kind]!;
        const ifMatch = req.headers['if-match'];
        sendLink(res, type, await inTermsOf(format, links.update(principal!.userId, code, format.read(body), (current) => ifMatchPasses(ifMatch, cards.isCurrentVersion(current)))));
      },
    },
    {
      method: 'DELETE', path: '/api/links/:code', caller: 'signed-in', session: true, scope: 'links:write',
      async handle(req, res, { params, principal }) {
        const ifMatch = req.headers['if-match'];
        await links.remove(principal!.userId, codeParam(params), (current) => ifMatchPasses(ifMatch, cards.isCurrentVersion(current)));
        res.statusCode = 204;
        res.end();
      },
    },
  ];
}

/** Reads `cursor` and `limit` (1–100, default per representation); 400 on anything else. */
function pagingQuery(query: ParsedUrlQuery, defaultSize: number): { cursor: string | null; limit: number } {
  const { cursor, limit } = query;
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

/** Each body type's schema validator, keyed by its media type (`kind` is the media type again). */
function validatorsOf(registry: Registry, formats: Readonly<Record<string, LinkBodyFormat<unknown>>>): BodyFormats<string> {
  return Object.fromEntries(Object.entries(formats).map(([type, f]) => [type, { kind: type, validate: registry.validator(f.schema) }]));
}

/** A domain 422 with its field pointers in the body's own names (a partner body's `/long_url`, not `/url`). */
async function inTermsOf<T>(format: LinkBodyFormat<unknown>, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!format.pointers || !(err instanceof DomainError) || !err.fieldErrors) throw err;
    throw validationFailed(inBodyTerms(format, err.fieldErrors));
  }
}
