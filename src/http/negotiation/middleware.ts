import type { RequestHandler } from 'express';
import type { VendorType } from '../../../representations/media-types';
import { checkAcceptRanges } from '../limits';
import { HttpError } from '../problems';
import { stateOf } from '../state';
import { defaultRepresentation } from './default-representation';
import { negotiate } from './negotiate';
import type { Negotiated } from './negotiate';

/** Every negotiated response varies on these; the credential decides the default (partner pin). */
export const VARY = 'Accept, X-Client-Platform, Authorization';

const MEMO_ENTRIES = 256;
const MEMO_KEY_MAX = 256;

/** Picks one of a resource's offers for an Accept header and a default; remembers its outcomes. */
export type Chooser = (accept: string | undefined, defaultType: VendorType) => Negotiated;

/**
 * negotiate() is pure, so its outcome is remembered per (default, Accept): clients send a handful
 * of distinct values. Bounded in entries and key length, so varied spellings cost only a miss.
 * The caller checks the Accept header's size limits first (checkAcceptRanges).
 */
export function createChooser(offers: readonly VendorType[]): Chooser {
  const memo = new Map<string, Negotiated>();
  return function choose(accept, defaultType) {
    if (accept !== undefined && accept.length > MEMO_KEY_MAX) return negotiate(accept, offers, defaultType);
    const key = accept === undefined ? defaultType : `${defaultType} ${accept}`;
    let outcome = memo.get(key);
    if (outcome === undefined) {
      outcome = negotiate(accept, offers, defaultType);
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(key, outcome);
    }
    return outcome;
  };
}

/**
 * Negotiates a resource's representation before any data is loaded (rule 6): sets `Vary`,
 * records the choice, or answers 406 listing the acceptable types (rule 5).
 */
export function negotiated(offers: readonly VendorType[]): RequestHandler {
  const choose = createChooser(offers);
  return function negotiateRepresentation(req, res, next) {
    // The app may have set a wider Vary for /api (Origin, with CORS); never narrow it.
    if (!res.hasHeader('Vary')) res.setHeader('Vary', VARY);
    checkAcceptRanges(req.headers.accept);
    const state = stateOf(res);
    const defaultType = defaultRepresentation({
      keyKind: state.principal?.kind ?? null,
      platform: req.headers['x-client-platform'] as string | undefined,
    });
    const outcome = choose(req.headers.accept, defaultType);
    if (!outcome.ok) {
      throw new HttpError('not-acceptable', `This resource is available as: ${outcome.acceptable.join(', ')}.`, {
        acceptable: [...outcome.acceptable],
      });
    }
    state.type = outcome.type;
    next();
  };
}
