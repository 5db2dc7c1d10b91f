import type { VendorType } from '../../../representations/media-types';
import { edgeOffersFromRegistry } from '../../../src/cli/edge-vcl';
import { prng } from '../../../src/domain/seed';
import { anonymousChoice, BROWSERS, RULE_7_EXAMPLES } from './view-corpus';

export { UNACCEPTABLE } from './view-corpus';

/** An anonymous request's negotiation headers; an Accept array is sent as several header lines. */
export interface AcceptCase {
  accept: string | string[] | undefined;
  platform: string | undefined;
  /** Why the VCL hands this one to the service uncached instead of normalising it. */
  beyondVcl?: string;
}

/** The registry as the VCL is generated from it (src/cli/edge-vcl.ts): the link card's offers and defaults. */
export const EDGE = edgeOffersFromRegistry();

/** The link card's representations, in registry order. */
export const OFFERS: readonly VendorType[] = EDGE.offers;

const platformsFor = (type: VendorType) => [...EDGE.platforms].filter(([, t]) => t === type).map(([p]) => p);
/** A platform no default names: generic ranges mean the fallback for it. */
const UNKNOWN_PLATFORM = 'desktop';
if (EDGE.platforms.has(UNKNOWN_PLATFORM)) throw new Error(`the corpus takes "${UNKNOWN_PLATFORM}" for a platform without a default`);

// Roles the hand-written corners need, found in the registry: F what generic ranges mean without
// a platform, S a platform's other default (its platforms S1 and S2), P an offer that is nobody's
// default (asked for by name only, as partner.v3), W a platform whose default is F.
const F = EDGE.fallback;
const S = OFFERS.find((t) => t !== F && platformsFor(t).length > 0);
const P = OFFERS.find((t) => t !== F && platformsFor(t).length === 0);
if (!S || !P) throw new Error('the Accept corpus needs a platform default besides the fallback and an offer that is no default');
const [S1, S2 = S1] = platformsFor(S) as [string, string?];
const W = platformsFor(F)[0] ?? UNKNOWN_PLATFORM;
const capitalised = (s: string) => s.replace(/^./, (c) => c.toUpperCase());
const mixedCase = (s: string) => s.replace(/^(.)(.*)$/, (_m, first: string, rest: string) => first.toLowerCase() + rest.toUpperCase());
const titleCase = (t: string) => t.replace(/\b\w/g, (c) => c.toUpperCase());

/** What the service chooses for an anonymous request of the card: a vendor type, viewOf(default) for the HTML view, or UNACCEPTABLE for a 406. */
export function serviceChoice(c: AcceptCase): string {
  // Node joins repeated Accept lines with ", " (as std.collect does in the VCL).
  return anonymousChoice(EDGE, Array.isArray(c.accept) ? c.accept.join(', ') : c.accept, c.platform);
}

const hand = (accept: string | string[] | undefined, platform?: string): AcceptCase => ({ accept, platform });

/** Tricky cases, one per rule or corner of docs/design.md "Negotiation rules" and of RFC 9110 §12.5.1, then every offer by name. */
export const HAND_WRITTEN: AcceptCase[] = [
  hand(undefined), hand(undefined, S1), hand(undefined, S2), hand(undefined, W),
  hand(undefined, S1.toUpperCase()), hand(undefined, 'windows'), hand(undefined, ''), hand(''), hand('', S2),
  hand('*/*', S1), hand('application/*', S2), hand('application/json', mixedCase(S1)), hand('application/*+json', W),
  hand(S.toUpperCase()), hand(`${S};charset=utf-8`), hand(`${S};CHARSET=UTF-8 ; q=0.5`),
  hand(`${S};version=2`), hand(`${S};version=2, ${F};q=0.1`), hand(`${S};q=0`), hand(`${S};q=0, */*`, S1),
  hand(`${S};q=0, */*`), hand(`${F};q=0, */*`), hand(`${F};q=0, */*`, S2), hand(P),
  hand(`${P};q=0.5, */*;q=0.6`), hand(`${P};q=0.6, */*;q=0.6`), hand(`*/*;q=0.6, ${P};q=0.6`),
  hand(`${S};q=0.5, ${F};q=0.5`), hand(`${F};q=0.5, ${S};q=0.5`), hand(`${S}, ${F}, ${S}`), hand(`${F}, ${S}, ${F}`),
  hand(`${S};q=1.000, ${F};q=0.999`), hand(`${S};q=1.0001, ${F};q=0.1`), hand(`${S};q=2, */*;q=0.1`),
  hand(`${S};q=0.5x, ${F};q=0.2`), hand(`${S};q= 0.5, ${F};q=0.4`), hand(`${S} ; q = 0.5, ${F};q=0.6`),
  hand(`${S};q=0.5;level=1, ${F};q=0.4`), hand(`${S};level=1;q=0.5, ${F};q=0.4`), hand('text/html'),
  hand('text/*, image/*'), hand('application/json;q=0, */*'),
  hand(`application/json;q=0.2, */*;q=0.9, ${F};q=0.5`), hand(`application/json;q=0.9, */*;q=0.2, ${S};q=0.5`),
  hand(`application/json;q=0.9, */*;q=0.2, ${S};q=0.5`, S1), hand(`application/*;q=0.3, application/*+json;q=0.1, ${P};q=0.2`),
  hand('application/json;charset=utf-8'), hand('application/json;foo=bar'), hand('*/*;q=0'), hand(','), hand(' , ,'),
  hand([`${S};q=0.2`, `${F};q=0.3`]), hand([`${P}`, '*/*;q=0.1'], S2), hand(`${F},\t${S};q=0.9`),
  hand(`${S};q=0., ${F};q=0.001`), hand(`${S};q=0.0001, */*;q=0.5`), hand(`${P};charset=utf-8;q=0.9, ${F};q=0.9`),
  hand(`${S};;q=0.5, ${F};q=0.4`), hand(`${S};q, ${F};q=0.4`), hand(`${S};=x, ${F}`),
  hand(`${S};charset=utf-8;charset=latin1;q=0.3, ${F};q=0.2`), hand(`${S};q=0.3;q=0.9, ${F};q=0.5`),
  hand(`${S};Q=0.9, ${F};q=0.5`), hand(`${S}x`), hand('application/vnd.example.*'), hand(`${S};q=0, application/json`, S1),
  hand('application/json, text/plain, */*', S2), hand(`a/b, c/d, e/f, g/h, i/j, k/l, m/n, ${S}`),
  hand(`${S};q=0.5,`), hand(`${S};q=0.50, ${F};q=0.5`), hand(`${F};q=0.05, ${S};q=0.5`),
  hand('*/*', '__proto__'), hand(undefined, 'constructor'),
  // Beyond what the VCL reads: handed to the service, which must still answer correctly.
  { accept: `a/b, c/d, e/f, g/h, i/j, k/l, m/n, o/p, ${S}`, platform: undefined, beyondVcl: 'more than 8 ranges' },
  { accept: `${S};charset="utf-8"`, platform: undefined, beyondVcl: 'quoted string' },
  { accept: `${S};q="0.5", ${F};q=0.4`, platform: undefined, beyondVcl: 'quoted string' },
  { accept: `${S};foo="a,b", ${F}`, platform: undefined, beyondVcl: 'quoted string' },
  { accept: `${S};q=0.5;1=x, ${F};q=0.1`, platform: undefined, beyondVcl: 'numeric parameter name' },
  ...OFFERS.flatMap((t) => [hand(t), hand(`${t};q=0.5, */*;q=0.4`, S1)]),
  // Rule 7: the HTML view, for each default, and its ties.
  ...Object.values(BROWSERS).flatMap((accept) => [hand(accept, S1), hand(accept, capitalised(W)), hand(accept.split(','), S2)]),
  ...RULE_7_EXAMPLES.flatMap(([accept]) => [hand(accept), hand(accept, S1)]),
];

const TYPES = [...OFFERS, S.toUpperCase(), titleCase(F), '*/*', 'application/*', 'application/json',
  'application/*+json', 'APPLICATION/JSON', 'text/html', 'application/xml', 'text/*', 'image/webp', 'application/problem+json'];
const PARAMS = ['', '', '', ';charset=utf-8', '; charset=UTF-8', ';version=3', ';level=1'];
const WEIGHTS = ['', '', ';q=1', ';q=0', ';q=0.5', ';q=0.9', ';q=0.1', ';q=0.001', ';q=1.000', ';q=0.', ';q=0.50',
  ';q=2', ';q=0.1234', ';Q=0.7', '; q = 0.3', ';q=0.5;ext=1'];
const SEPARATORS = [', ', ',', ' , ', ',\t'];
const PLATFORMS = [undefined, undefined, ...EDGE.platforms.keys(), mixedCase(S1), S2.toUpperCase(), UNKNOWN_PLATFORM, '', capitalised(W)];

/** `count` reproducible random Accept/X-Client-Platform combinations, each within what the VCL reads. */
export function generatedCases(count: number, seed = 9110): AcceptCase[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(random() * 6);
    const ranges = Array.from({ length: n }, () => pick(TYPES) + pick(PARAMS) + pick(WEIGHTS));
    const accept = ranges.reduce((header, range) => header + pick(SEPARATORS) + range);
    return { accept, platform: pick(PLATFORMS) };
  });
}


const NAMED = (t: string) => [t, t.toUpperCase(), titleCase(t), `${t};q=1`, `${t}; q=1.0`,
  `${t};q=0.9`, `${t};charset=utf-8`, `${t} ; charset=UTF-8`, `${t};q=0.75;ext=1`];

/**
 * At least 30 spellings (Accept plus X-Client-Platform) that each mean `type` for an anonymous
 * client: the named type in several forms, mixed with other offers and ranges, and (for a
 * default) the generic ranges real clients send with the platforms it is the default of.
 */
export function spellingsOf(type: VendorType): AcceptCase[] {
  const others = OFFERS.filter((t) => t !== type);
  const [a, b] = [others[0] ?? 'text/plain', others[1] ?? others[0] ?? 'text/csv'];
  const mixed = [`${type}, ${a};q=0.5`, `${b};q=0.4, ${type}`, `${type}, */*;q=0.1`, `text/html;q=0.9, ${type}`,
    `${type};q=0.8, ${a};q=0.7, ${b};q=0.1`, `${type},${b};q=0.9`, `image/webp, ${type};q=0.2`];
  // Named, the type wins whatever the platform: with none, and with one of each other default.
  const elsewhere = [...new Set([F, ...EDGE.platforms.values()])].filter((t) => t !== type)
    .map((t) => (t === F ? UNKNOWN_PLATFORM : platformsFor(t)[0]));
  const platforms = [undefined, ...elsewhere];
  const cases: AcceptCase[] = [...NAMED(type), ...mixed].flatMap((accept) => platforms.map((platform) => ({ accept, platform })));
  const own = type === F ? [...platformsFor(F), UNKNOWN_PLATFORM] : platformsFor(type);
  if (own.length > 0) {
    const generic = [undefined, '*/*', 'application/json', 'application/*', 'application/*+json', 'application/json, text/plain, */*',
      'application/json, text/html;q=0.9', 'application/json;charset=utf-8', '*/*;q=0.8', 'Application/JSON'];
    const platform = [own[0] as string, capitalised(own[1] ?? own[0] as string)];
    for (const accept of generic) for (const p of platform) cases.push({ accept, platform: p });
  }
  return cases;
}
