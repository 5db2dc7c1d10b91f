import Negotiator from 'negotiator';
import type { VendorType } from '../../../../representations/media-types';
import { isOverLimit, parseAccept } from './accept-ranges';
import type { MediaRange } from './accept-ranges';

/** The outcome of negotiation: the chosen type, the list a 406 must offer, or why Accept is refused (400). */
export type Negotiated =
  | { ok: true; type: VendorType }
  | { ok: false; acceptable: VendorType[]; overLimit?: undefined }
  | { ok: false; overLimit: string };

/** Ranges that name no representation and so stand for the request's default (rule 2). */
const GENERIC_SPECIFICITY: Record<string, number> = {
  '*/*': 0,
  'application/*': 1,
  'application/*+json': 2,
  'application/json': 3,
};

// Generic ranges are rewritten to this private range, matched only by the default's alias.
// Its specificity (type only) sits below an exact vendor type's, so at equal q a vendor type
// wins (rule 4), and negotiator's q/specificity/order precedence does the rest.
const ALIAS_RANGE = 'x-facet-default/*';
const ALIAS_OFFER = 'x-facet-default/default';

/**
 * Chooses the representation of a resource offering `offered` for an Accept header, where
 * generic ranges mean only `defaultType` (docs/design.md rules 1–5); an Accept over the parser's
 * limits is refused, not negotiated. Pure: no I/O, no request.
 */
export function negotiate(accept: string | undefined, offered: readonly VendorType[], defaultType: VendorType): Negotiated {
  const parsed = parseAccept(accept);
  if (isOverLimit(parsed)) return { ok: false, overLimit: parsed.overLimit };
  const ranges = parsed.filter((r) => !r.extraParams);
  const exact = ranges.filter((r) => !(r.type in GENERIC_SPECIFICITY) && !r.type.includes('*'));
  const namesDefault = exact.some((r) => r.type === defaultType);
  const aliasQ = namesDefault ? 0 : genericQuality(ranges);

  const header = exact.map((r) => `${r.type};q=${r.q}`);
  const offers: string[] = [...offered];
  if (aliasQ > 0 && offered.includes(defaultType)) {
    header.push(`${ALIAS_RANGE};q=${aliasQ}`);
    offers.push(ALIAS_OFFER);
  }
  const best = new Negotiator({ headers: { accept: header.join(', ') } }).mediaType(offers);
  if (best === undefined) return { ok: false, acceptable: [...offered] };
  return { ok: true, type: best === ALIAS_OFFER ? defaultType : (best as VendorType) };
}

/** q of the most specific generic range present (the most specific range decides, RFC 9110 §12.5.1). */
function genericQuality(ranges: MediaRange[]): number {
  let best: { s: number; q: number } | null = null;
  for (const r of ranges) {
    const s = GENERIC_SPECIFICITY[r.type];
    if (s === undefined) continue;
    if (!best || s > best.s || (s === best.s && r.q > best.q)) best = { s, q: r.q };
  }
  return best?.q ?? 0;
}
