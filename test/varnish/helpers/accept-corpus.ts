import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { defaultRepresentation } from '../../../src/http/negotiation/default-representation';
import { negotiate } from '../../../src/http/negotiation/negotiate';
import { prng } from '../../../src/domain/seed';

/** An anonymous request's negotiation headers; an Accept array is sent as several header lines. */
export interface AcceptCase {
  accept: string | string[] | undefined;
  platform: string | undefined;
  /** Why the VCL hands this one to the service uncached instead of normalising it. */
  beyondVcl?: string;
}

/** The token the VCL puts in Accept when nothing is acceptable, so every 406 shares one key. */
export const UNACCEPTABLE = 'application/x-facet-unacceptable';

const S = SUMMARY;
const F = FULL;
const P = PARTNER_V3;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** What the service chooses for an anonymous request: a vendor type, or UNACCEPTABLE for a 406. */
export function serviceChoice(c: AcceptCase, offers: readonly VendorType[]): VendorType | typeof UNACCEPTABLE {
  // Node joins repeated Accept lines with ", " (as std.collect does in the VCL).
  const accept = Array.isArray(c.accept) ? c.accept.join(', ') : c.accept;
  const outcome = negotiate(accept, offers, defaultRepresentation({ keyKind: null, platform: c.platform }));
  return outcome.ok ? outcome.type : UNACCEPTABLE;
}

const hand = (accept: string | string[] | undefined, platform?: string): AcceptCase => ({ accept, platform });

/** Tricky cases, one per rule or corner of DESIGN.md "Negotiation rules" and of RFC 9110 §12.5.1. */
export const HAND_WRITTEN: AcceptCase[] = [
  hand(undefined), hand(undefined, 'ios'), hand(undefined, 'android'), hand(undefined, 'web'),
  hand(undefined, 'IOS'), hand(undefined, 'windows'), hand(undefined, ''), hand(''), hand('', 'android'),
  hand('*/*', 'ios'), hand('application/*', 'android'), hand('application/json', 'iOS'), hand('application/*+json', 'web'),
  hand('APPLICATION/VND.EXAMPLE.SUMMARY+JSON'), hand(`${S};charset=utf-8`), hand(`${S};CHARSET=UTF-8 ; q=0.5`),
  hand(`${S};version=2`), hand(`${S};version=2, ${F};q=0.1`), hand(`${S};q=0`), hand(`${S};q=0, */*`, 'ios'),
  hand(`${S};q=0, */*`), hand(`${F};q=0, */*`), hand(`${F};q=0, */*`, 'android'), hand(P),
  hand(`${P};q=0.5, */*;q=0.6`), hand(`${P};q=0.6, */*;q=0.6`), hand(`*/*;q=0.6, ${P};q=0.6`),
  hand(`${S};q=0.5, ${F};q=0.5`), hand(`${F};q=0.5, ${S};q=0.5`), hand(`${S}, ${F}, ${S}`), hand(`${F}, ${S}, ${F}`),
  hand(`${S};q=1.000, ${F};q=0.999`), hand(`${S};q=1.0001, ${F};q=0.1`), hand(`${S};q=2, */*;q=0.1`),
  hand(`${S};q=0.5x, ${F};q=0.2`), hand(`${S};q= 0.5, ${F};q=0.4`), hand(`${S} ; q = 0.5, ${F};q=0.6`),
  hand(`${S};q=0.5;level=1, ${F};q=0.4`), hand(`${S};level=1;q=0.5, ${F};q=0.4`), hand('text/html'),
  hand(BROWSER), hand(BROWSER, 'ios'), hand('text/*, image/*'), hand('application/json;q=0, */*'),
  hand(`application/json;q=0.2, */*;q=0.9, ${F};q=0.5`), hand(`application/json;q=0.9, */*;q=0.2, ${S};q=0.5`),
  hand(`application/json;q=0.9, */*;q=0.2, ${S};q=0.5`, 'ios'), hand(`application/*;q=0.3, application/*+json;q=0.1, ${P};q=0.2`),
  hand('application/json;charset=utf-8'), hand('application/json;foo=bar'), hand('*/*;q=0'), hand(','), hand(' , ,'),
  hand([`${S};q=0.2`, `${F};q=0.3`]), hand([`${P}`, '*/*;q=0.1'], 'android'), hand(`${F},\t${S};q=0.9`),
  hand(`${S};q=0., ${F};q=0.001`), hand(`${S};q=0.0001, */*;q=0.5`), hand(`${P};charset=utf-8;q=0.9, ${F};q=0.9`),
  hand(`${S};;q=0.5, ${F};q=0.4`), hand(`${S};q, ${F};q=0.4`), hand(`${S};=x, ${F}`),
  hand(`${S};charset=utf-8;charset=latin1;q=0.3, ${F};q=0.2`), hand(`${S};q=0.3;q=0.9, ${F};q=0.5`),
  hand(`${S};Q=0.9, ${F};q=0.5`), hand(`${S}x`), hand('application/vnd.example.*'), hand(`${S};q=0, application/json`, 'ios'),
  hand('application/json, text/plain, */*', 'android'), hand(`a/b, c/d, e/f, g/h, i/j, k/l, m/n, ${S}`),
  hand(`${S};q=0.5,`), hand(`${S};q=0.50, ${F};q=0.5`), hand(`${F};q=0.05, ${S};q=0.5`),
  hand('*/*', '__proto__'), hand(undefined, 'constructor'),
  // Beyond what the VCL reads: handed to the service, which must still answer correctly.
  { accept: `a/b, c/d, e/f, g/h, i/j, k/l, m/n, o/p, ${S}`, platform: undefined, beyondVcl: 'more than 8 ranges' },
  { accept: `${S};charset="utf-8"`, platform: undefined, beyondVcl: 'quoted string' },
  { accept: `${S};q="0.5", ${F};q=0.4`, platform: undefined, beyondVcl: 'quoted string' },
  { accept: `${S};foo="a,b", ${F}`, platform: undefined, beyondVcl: 'quoted string' },
  { accept: `${S};q=0.5;1=x, ${F};q=0.1`, platform: undefined, beyondVcl: 'numeric parameter name' },
];

const TYPES = [S, F, P, S.toUpperCase(), 'Application/Vnd.Example.Full+Json', '*/*', 'application/*', 'application/json',
  'application/*+json', 'APPLICATION/JSON', 'text/html', 'application/xml', 'text/*', 'image/webp', 'application/problem+json'];
const PARAMS = ['', '', '', ';charset=utf-8', '; charset=UTF-8', ';version=3', ';level=1'];
const WEIGHTS = ['', '', ';q=1', ';q=0', ';q=0.5', ';q=0.9', ';q=0.1', ';q=0.001', ';q=1.000', ';q=0.', ';q=0.50',
  ';q=2', ';q=0.1234', ';Q=0.7', '; q = 0.3', ';q=0.5;ext=1'];
const SEPARATORS = [', ', ',', ' , ', ',\t'];
const PLATFORMS = [undefined, undefined, 'ios', 'android', 'web', 'iOS', 'ANDROID', 'desktop', '', 'Web'];

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


const NAMED = (t: string) => [t, t.toUpperCase(), t.replace(/\b\w/g, (c) => c.toUpperCase()), `${t};q=1`, `${t}; q=1.0`,
  `${t};q=0.9`, `${t};charset=utf-8`, `${t} ; charset=UTF-8`, `${t};q=0.75;ext=1`];

/**
 * At least 30 spellings (Accept plus X-Client-Platform) that each mean `type` for an anonymous
 * client: the named type in several forms, mixed with other ranges, and (for the platform
 * defaults) the generic ranges real clients send.
 */
export function spellingsOf(type: VendorType): AcceptCase[] {
  const [a, b] = [S, F, P].filter((t) => t !== type) as [string, string];
  const mixed = [`${type}, ${a};q=0.5`, `${b};q=0.4, ${type}`, `${type}, */*;q=0.1`, `text/html;q=0.9, ${type}`,
    `${type};q=0.8, ${a};q=0.7, ${b};q=0.1`, `${type},${b};q=0.9`, `image/webp, ${type};q=0.2`];
  const platforms = type === P ? [undefined, 'ios', 'web'] : type === S ? [undefined, 'android'] : [undefined, 'web'];
  const cases: AcceptCase[] = [...NAMED(type), ...mixed].flatMap((accept) => platforms.map((platform) => ({ accept, platform })));
  if (type !== P) {
    const generic = [undefined, '*/*', 'application/json', 'application/*', 'application/*+json', 'application/json, text/plain, */*',
      BROWSER, 'application/json;charset=utf-8', '*/*;q=0.8', 'Application/JSON'];
    const platform = type === S ? ['ios', 'Android'] : ['web', 'desktop'];
    for (const accept of generic) for (const p of platform) cases.push({ accept, platform: p });
  }
  return cases;
}
