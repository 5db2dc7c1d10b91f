import Negotiator from 'negotiator';
import type { VendorType } from '../../../../representations/media-types';
import { isOverLimit, parseAccept } from './accept-ranges';
import type { MediaRange } from './accept-ranges';

/** The outcome of negotiation: the chosen type, the list a 406 must offer, or why Accept is refused (400). */
export type Negotiated =
  | { ok: true; type: VendorType; html?: true }
  | { ok: false; acceptable: VendorType[]; overLimit?: undefined }
  | { ok: false; overLimit: string };

/** Ranges that name no representation and so stand for the request's default (rule 2), by specificity. */
export const GENERIC_SPECIFICITY: Record<string, number> = {
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

/** Generic ranges at or above this specificity name JSON (`application/*+json`, `application/json`), not just anything. */
const NAMES_JSON = 2;

/** The HTML view's ranges, most specific first (rule 7): no other range names it, `*\/*` included. */
export const HTML_RANGES: readonly string[] = ['text/html', 'text/*'];

/**
 * Chooses the representation of a resource offering `offered` for an Accept header, where
 * generic ranges mean only `defaultType` (docs/negotiation.md rules 1–5); an Accept over the parser's
 * limits is refused, not negotiated. With `html`, rule 7: `text/html` asks for the browsable
 * view of the default representation. Pure: no I/O, no request.
 */
export function negotiate(accept: string | undefined, offered: readonly VendorType[], defaultType: VendorType, html = false): Negotiated {
  const parsed = parseAccept(accept);
  if (isOverLimit(parsed)) return { ok: false, overLimit: parsed.overLimit };
  const ranges = parsed.filter((r) => !r.extraParams);
  const exact = ranges.filter((r) => !(r.type in GENERIC_SPECIFICITY) && !r.type.includes('*'));
  const namesDefault = exact.some((r) => r.type === defaultType);
  const generic = namesDefault ? null : mostSpecificGeneric(ranges);
  const aliasQ = generic?.q ?? 0;

  const header = exact.map((r) => `${r.type};q=${r.q}`);
  const offers: string[] = [...offered];
  const hasDefault = offered.includes(defaultType);
  if (aliasQ > 0 && hasDefault) {
    header.push(`${ALIAS_RANGE};q=${aliasQ}`);
    offers.push(ALIAS_OFFER);
  }
  const best = new Negotiator({ headers: { accept: header.join(', ') } }).mediaType(offers);
  if (html && hasDefault) {
    // The JSON outcome's weight, and whether a range that names JSON (not only a wildcard) chose it.
    const json = best === undefined ? { q: 0, named: false }
      : best === ALIAS_OFFER ? { q: aliasQ, named: generic!.s >= NAMES_JSON }
        : { q: Math.max(...exact.filter((r) => r.type === best).map((r) => r.q)), named: true };
    const htmlQ = htmlQuality(ranges);
    if (htmlQ > 0 && (htmlQ > json.q || (htmlQ === json.q && !json.named))) return { ok: true, type: defaultType, html: true };
  }
  if (best === undefined) return { ok: false, acceptable: [...offered] };
  return { ok: true, type: best === ALIAS_OFFER ? defaultType : (best as VendorType) };
}

/** The most specific generic range present, with its q (the most specific range decides, RFC 9110 §12.5.1). */
function mostSpecificGeneric(ranges: MediaRange[]): { s: number; q: number } | null {
  let best: { s: number; q: number } | null = null;
  for (const r of ranges) {
    const s = GENERIC_SPECIFICITY[r.type];
    if (s === undefined) continue;
    if (!best || s > best.s || (s === best.s && r.q > best.q)) best = { s, q: r.q };
  }
  return best;
}

/** q of the HTML view: of `text/html` if named (its highest), else of `text/*`; 0 when neither is. */
export function htmlQuality(ranges: readonly MediaRange[]): number {
  for (const type of HTML_RANGES) {
    const named = ranges.filter((r) => r.type === type && !r.extraParams);
    if (named.length > 0) return Math.max(...named.map((r) => r.q));
  }
  return 0;
}
