import type { RequestHandler } from 'express';
import type { VendorType } from '../../../representations/media-types';
import { checkAcceptRanges } from '../limits';
import { HttpError } from '../problems';
import { stateOf } from '../state';
import { defaultRepresentation } from './default-representation';
import { negotiate } from './negotiate';

/** Every negotiated response varies on these; the credential decides the default (partner pin). */
export const VARY = 'Accept, X-Client-Platform, Authorization';

/**
 * Negotiates a resource's representation before any data is loaded (rule 6): sets `Vary`,
 * records the choice, or answers 406 listing the acceptable types (rule 5).
 */
export function negotiated(offers: readonly VendorType[]): RequestHandler {
  return function negotiateRepresentation(req, res, next) {
    res.setHeader('Vary', VARY);
    checkAcceptRanges(req.headers.accept);
    const state = stateOf(res);
    const defaultType = defaultRepresentation({
      keyKind: state.principal?.kind ?? null,
      platform: req.headers['x-client-platform'] as string | undefined,
    });
    const outcome = negotiate(req.headers.accept, offers, defaultType);
    if (!outcome.ok) {
      throw new HttpError('not-acceptable', `This resource is available as: ${outcome.acceptable.join(', ')}.`, {
        acceptable: outcome.acceptable,
      });
    }
    state.type = outcome.type;
    next();
  };
}
