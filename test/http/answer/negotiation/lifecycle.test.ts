import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../../../representations/media-types';
import type { VendorType } from '../../../../representations/media-types';
import { readLifecycle } from '../../../../src/lifecycle-config';
import { createLifecycle, pathReference } from '../../../../src/http/answer/negotiation/lifecycle';

const DOCS = 'https://sho.rt/docs/contracts';
const DEPRECATION = Date.parse('2027-01-01T00:00:00Z');
const SUNSET = Date.parse('2027-06-30T00:00:00Z');
const configured = (env: NodeJS.ProcessEnv) => createLifecycle(readLifecycle(env), DOCS);
const lifecycle = configured({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z,summary@2027-01-01T00:00:00Z', SUNSET: 'partner.v3@2027-06-30T00:00:00Z' });
const OFFERS: readonly VendorType[] = [FULL, SUMMARY, PARTNER_V3, PARTNER_V4];

describe('a lifecycle with nothing configured', () => {
  const none = createLifecycle([], DOCS);

  it('offers every type, adds no header and returns the offers it was given', () => {
    expect(none.offered(PARTNER_V3, SUNSET)).toBe(true);
    expect(none.headers(PARTNER_V3, '/api/links/facet', SUNSET)).toEqual([]);
    expect(none.live(OFFERS, SUNSET)).toBe(OFFERS);
    expect(none.entries).toEqual([]);
  });

  it('answers the same empty array every time: nothing is allocated per request', () => {
    expect(none.headers(SUMMARY, '/a', 0)).toBe(none.headers(FULL, '/b', 1));
  });
});

describe('headers()', () => {
  it('adds nothing before the deprecation, to the millisecond', () => {
    expect(lifecycle.headers(PARTNER_V3, '/api/links/facet', DEPRECATION - 1)).toEqual([]);
  });

  it('adds Deprecation as an sf-date, the deprecation and successor-version links and Sunset as an IMF-fixdate from the deprecation on', () => {
    expect(lifecycle.headers(PARTNER_V3, '/api/links/facet', DEPRECATION)).toEqual([
      'Deprecation', '@1798761600',
      'Link', '<https://sho.rt/docs/contracts>; rel="deprecation"; type="text/html"',
      'Link', '</api/links/facet>; rel="successor-version"; type="application/vnd.example.partner.v4+json"',
      'Sunset', 'Wed, 30 Jun 2027 00:00:00 GMT',
    ]);
  });

  it('names no successor for a type without one, and no Sunset without a sunset', () => {
    expect(lifecycle.headers(SUMMARY, '/api/me', DEPRECATION + 1)).toEqual([
      'Deprecation', '@1798761600',
      'Link', '<https://sho.rt/docs/contracts>; rel="deprecation"; type="text/html"',
    ]);
  });

  it('adds nothing for a type that is not deprecated', () => {
    expect(lifecycle.headers(FULL, '/api/me', SUNSET)).toEqual([]);
    expect(lifecycle.headers(PARTNER_V4, '/api/me', SUNSET)).toEqual([]);
  });

  it('gives the epoch seconds of an offset time', () => {
    const offset = configured({ DEPRECATE: 'partner.v3@2027-01-01T01:00:00+01:00' });
    expect(offset.headers(PARTNER_V3, '/x', DEPRECATION).slice(0, 2)).toEqual(['Deprecation', '@1798761600']);
  });

  it.each([
    ['angle brackets and quotes', '/api/links/a>; rel="x"<b', '/api/links/a%3E;%20rel=%22x%22%3Cb'],
    ['a space and a tab', '/api/links/a b\tc', '/api/links/a%20b%09c'],
    ['a query or fragment marker', '/api/links/a?b#c', '/api/links/a%3Fb%23c'],
    ['non-ASCII', '/api/links/café', '/api/links/caf%C3%A9'],
    ['a lone surrogate', '/api/links/\uD800x', '/api/links/%EF%BF%BDx'],
    ['a % that starts no triplet, beside one that does', '/api/links/100%/a%2Fb', '/api/links/100%25/a%2Fb'],
    ['a backslash, braces and a CR LF', '/a\\b{c}\r\nSet-Cookie: x', '/a%5Cb%7Bc%7D%0D%0ASet-Cookie:%20x'],
  ])('percent-encodes %s in the successor-version target, so the Link field stays whole', (_what, path, target) => {
    const link = lifecycle.headers(PARTNER_V3, path, DEPRECATION)[5]!;
    expect(link).toBe(`<${target}>; rel="successor-version"; type="application/vnd.example.partner.v4+json"`);
    expect(link).toMatch(/^<[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*>; rel="successor-version"; type="[^"]+"$/);
  });

  it('leaves a path that is already a URI path as it is', () => {
    const path = "/api/links/a-b_c.d~e!$&'()*+,;=:@%20";
    expect(pathReference(path)).toBe(path);
  });
});

describe('offered()', () => {
  it('flips exactly at the sunset instant', () => {
    expect(lifecycle.offered(PARTNER_V3, SUNSET - 1)).toBe(true);
    expect(lifecycle.offered(PARTNER_V3, SUNSET)).toBe(false);
  });

  it('keeps offering a deprecated type without a sunset, and every type not configured', () => {
    expect(lifecycle.offered(SUMMARY, SUNSET * 2)).toBe(true);
    expect(lifecycle.offered(PARTNER_V4, SUNSET * 2)).toBe(true);
  });
});

describe('live()', () => {
  it('returns the same array object while none of the offers is retired', () => {
    expect(lifecycle.live(OFFERS, SUNSET - 1)).toBe(OFFERS);
    const others: readonly VendorType[] = [FULL, SUMMARY];
    expect(lifecycle.live(others, SUNSET + 1)).toBe(others);
  });

  it('leaves the retired types out from the sunset on, answering one array for as long as the same types are retired', () => {
    const live = lifecycle.live(OFFERS, SUNSET);
    expect(live).toEqual([FULL, SUMMARY, PARTNER_V4]);
    expect(lifecycle.live(OFFERS, SUNSET + 86_400_000)).toBe(live);
  });

  it('answers a new array when another sunset passes', () => {
    const both = configured({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z,summary@2027-01-01T00:00:00Z', SUNSET: 'partner.v3@2027-03-01T00:00:00Z,summary@2027-06-30T00:00:00Z' });
    const first = both.live(OFFERS, Date.parse('2027-03-01T00:00:00Z'));
    expect(first).toEqual([FULL, SUMMARY, PARTNER_V4]);
    const second = both.live(OFFERS, SUNSET);
    expect(second).toEqual([FULL, PARTNER_V4]);
    expect(both.live(OFFERS, SUNSET + 1)).toBe(second);
  });
});

describe('successor() and entries', () => {
  it('names partner.v4 as partner.v3\'s successor and nothing for the others', () => {
    expect([lifecycle.successor(PARTNER_V3), lifecycle.successor(PARTNER_V4), lifecycle.successor(SUMMARY)]).toEqual([PARTNER_V4, undefined, undefined]);
  });

  it('lists every configured entry with its successor', () => {
    expect(lifecycle.entries).toEqual([
      { type: PARTNER_V3, name: 'partner.v3', deprecation: new Date(DEPRECATION), sunset: new Date(SUNSET), successor: PARTNER_V4 },
      { type: SUMMARY, name: 'summary', deprecation: new Date(DEPRECATION), sunset: null, successor: undefined },
    ]);
  });

  it('refuses a docs URL that is no URI-reference', () => {
    expect(() => createLifecycle([], 'https://sho.rt/docs/a b')).toThrow(/no URI-reference/);
  });
});
