import fc from 'fast-check';
import { FROZEN, MEDIA_TYPES as VENDOR_MEDIA_TYPES, SUMMARY } from '../../representations/media-types';
import { isReservedCode } from '../../src/domain/codes';
import { KEYS } from '../helpers/test-app';

/** Generators of hostile and broken input: headers, bodies and request targets. */

/** Stands for "the resource's current ETag", looked up just before the request is sent. */
export const CURRENT_ETAG = '<current>';

/** A character Node lets through in a header value: tab, visible ASCII and space, or Latin-1. */
const headerChar = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.constant(0x09) },
).map((c) => String.fromCharCode(c));

/** Any header value up to `maxLength` characters. */
export const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });

/** Upper-, lower- or mixed-case spellings of the same text. */
const anyCase = (values: readonly string[]) => fc.mixedCase(fc.constantFrom(...values));

const MEDIA_TYPES = [
  '*/*', 'application/*', 'application/json', 'application/*+json', ...Object.values(VENDOR_MEDIA_TYPES),
  'application/problem+json', 'text/html', 'text/*', '*/json', 'application', '', 'application/vnd.example.partner.v2+json',
  'application/vnd.example.full+json+xml', 'image/png', 'application/merge-patch+json',
] as const;

const parameter = fc.oneof(
  fc.constantFrom('1', '0', '0.5', '0.001', '1.000', '0.0001', '2', '-1', 'abc', '', '1.0001', ' 0.8').map((q) => `q=${q}`),
  anyCase(['charset=utf-8', 'charset=latin1', 'level=1', 'version=3', 'q', '=', 'charset="utf-8"']),
  fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), headerText(8)).map(([name, value]) => `${name}=${value}`),
  headerText(12).map((value) => `x="${value.replace(/["\\]/g, '')},${value}"`),
);

/** One media range with up to three parameters, spelled in any case. */
const mediaRange = fc.tuple(
  fc.oneof({ weight: 4, arbitrary: anyCase(MEDIA_TYPES) }, { weight: 1, arbitrary: headerText(20) }),
  fc.array(parameter, { maxLength: 3 }),
  fc.constantFrom(';', ' ; ', ';\t'),
).map(([type, params, separator]) => [type, ...params].join(separator));

/** Accept: absent, a few ranges, around the range limit, or noise. */
export const accept = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 10, arbitrary: fc.array(mediaRange, { maxLength: 6 }).map((ranges) => ranges.join(', ')) },
  { weight: 1, arbitrary: fc.array(mediaRange, { minLength: 30, maxLength: 40 }).map((ranges) => ranges.join(',')) },
  { weight: 1, arbitrary: headerText(80) },
);

/** X-Client-Platform: the known platforms in any case and padding, others, noise. */
export const platform = fc.oneof(
  fc.constant(undefined),
  anyCase(['ios', 'android', 'web', ' web ', 'IOS\t', 'windows', '']),
  headerText(12),
);

/** If-None-Match / If-Match: the current tag, stale, weak, `*`, lists and noise. */
export const entityTags = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constant(CURRENT_ETAG) },
  { weight: 3, arbitrary: fc.constantFrom('*', '"stale"', 'W/"stale"', '""', '"', 'W/', '"a", "b"', `W/"x", ${CURRENT_ETAG}`, `"x",${CURRENT_ETAG}`, ' * ') },
  { weight: 2, arbitrary: headerText(40) },
);

/** Authorization: each fixture key, wrong keys, other schemes and noise. */
export const authorization = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 8, arbitrary: fc.constantFrom(`Bearer ${KEYS.user}`, `Bearer ${KEYS.partner}`, `Bearer ${KEYS.other}`, `bearer  ${KEYS.user} `) },
  { weight: 2, arbitrary: fc.constantFrom('Bearer nope', 'Bearer', 'Bearer ', 'Basic ZGVtbzpkZW1v', `Bearer ${KEYS.user}x`, `Token ${KEYS.user}`, 'Bearer a b') },
  { weight: 1, arbitrary: headerText(40) },
);

/** Content-Type: every accepted body type, charsets, near misses and noise. */
export const contentType = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: anyCase(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', ...FROZEN]) },
  { weight: 2, arbitrary: fc.constantFrom('application/json; charset=latin1', 'text/plain', 'application/json;;', 'application/json; charset', '', 'application/x-www-form-urlencoded', 'application/json, text/plain', '*/*') },
  { weight: 1, arbitrary: headerText(30) },
);

/** Content-Encoding: mostly none; sometimes one the body does not have, or none Express knows. */
export const contentEncoding = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip') },
);

const targetUrl = fc.oneof(
  { weight: 4, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>x</script>', 'file:///etc/passwd', 'ftp://example.com/',
      'http://localhost:3000/facet', 'http://127.1/', 'http://[::1]/', 'http://0x7f.1/', 'http://user:pw@example.com/', 'https://例え.jp/パス',
      'https://example.com/\u0000', ' https://example.com', 'https://example.com/a b', 'https:', '//example.com', `https://example.com/${'a'.repeat(2100)}`,
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const code = fc.oneof(
  fc.constantFrom('facet', 'api', 'docs', 'prop-a', 'ab', 'x'.repeat(65), 'a.b', '../etc', 'ok_code-1'),
  fc.stringMatching(/^[A-Za-z0-9_-]{3,12}$/),
  fc.string({ maxLength: 10 }),
);

const isoTime = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2027-01-01', 'tomorrow', '2027-01-01T00:00:00+25:00', ''),
);

/** Bodies shaped like a first-party create or update, with wrong types, extra fields and bad values. */
const firstPartyBody = fc.record({
  url: targetUrl,
  code,
  title: fc.oneof(fc.string({ maxLength: 220 }), fc.constant(null), fc.integer()),
  tags: fc.oneof(fc.array(fc.string({ maxLength: 45 }), { maxLength: 22 }), fc.constant('tag'), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })),
  expiresAt: fc.oneof(isoTime, fc.constant(null), fc.integer()),
  extra: fc.jsonValue({ maxDepth: 2 }),
}, { requiredKeys: [] });

/** Bodies shaped like a partner.v3 create or update. */
const partnerBody = fc.record({
  long_url: targetUrl,
  id: code,
  title: fc.oneof(fc.string({ maxLength: 220 }), fc.constant(null)),
  expires_at: fc.oneof(fc.integer(), fc.constant(null), fc.double(), fc.constant(4102444800), fc.constant(-1)),
  click_count: fc.integer(),
}, { requiredKeys: [] });

/** A request body as text: link-shaped JSON, any JSON, deep nesting, broken JSON, noise, or too large. */
export const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 8, arbitrary: firstPartyBody.map((b) => JSON.stringify(b)) },
  { weight: 4, arbitrary: partnerBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 15, max: 60 }).map((depth) => `{"title":${'['.repeat(depth)}${']'.repeat(depth)}}`) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('', '{', '{"url":', 'null', '[]', '"x"', '{"url":"https://example.com/"}}', '\ufeff{}'), fc.string({ unit: 'binary', maxLength: 60 })) },
  { weight: 1, arbitrary: fc.integer({ min: 16 * 1024 - 40, max: 16 * 1024 + 40 }).map((n) => JSON.stringify({ url: 'https://example.com/', title: 'x'.repeat(n) })) },
);

/** Query strings of the listing: sizes in and out of range, cursors real and forged, repeats. */
export const listingQuery = fc.oneof(
  fc.constant(''),
  fc.oneof(fc.integer({ min: -5, max: 130 }).map(String), fc.constantFrom('1e2', '', '0x10', '007', '99999999999'), headerText(6)).map((v) => `?limit=${encodeURIComponent(v)}`),
  fc.oneof(fc.constantFrom('MTc5MzI3NTIwMDAwMC4zOQ', 'xx', '', 'MTc5.Mz'), fc.base64String({ maxLength: 24 })).map((v) => `?cursor=${encodeURIComponent(v)}`),
  fc.constantFrom('?limit=1&limit=2', '?cursor=a&cursor=b', '?limit=5&cursor=MTc5MzI3NTIwMDAwMC4zOQ', '?limit[]=3', '?%ZZ=1', '?limit=%'),
);

/** A path segment that is not one of the service's own names. */
export const freeSegment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,16}$/).filter((s) => !isReservedCode(s) && s !== 'openapi.yaml');

/** Any path segment, percent-encoded (malformed escapes included). */
export const anySegment = fc.oneof(
  freeSegment,
  fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent).filter((s) => s !== '' && !isReservedCode(decodeURIComponent(s))),
  fc.constantFrom('%ZZ', '%', '%E2%82', '%00', '..', '.', '%2F'),
);

/** Well-formed requests, so the properties also cover successes: Accept a client would send. */
export const goodAccept = fc.constantFrom(undefined, ...Object.values(VENDOR_MEDIA_TYPES), '*/*', 'application/json', `${SUMMARY}, */*;q=0.1`);

/** A fixture key. */
export const goodAuthorization = fc.constantFrom(`Bearer ${KEYS.user}`, `Bearer ${KEYS.user}`, `Bearer ${KEYS.partner}`, `Bearer ${KEYS.other}`);

/** A valid first-party create or update body, as JSON text. */
export const goodFirstPartyBody = fc.record({
  url: fc.webUrl(),
  title: fc.oneof(fc.string({ maxLength: 200 }), fc.constant(null)),
  tags: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 20 }),
  expiresAt: fc.date({ min: new Date('2027-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
}, { requiredKeys: ['url'] }).map((b) => JSON.stringify(b));

/** A valid partner.v3 create or update body, as JSON text. */
export const goodPartnerBody = fc.record({
  long_url: fc.webUrl(),
  title: fc.string({ maxLength: 200 }),
  expires_at: fc.integer({ min: 1_800_000_000, max: 4_000_000_000 }),
}, { requiredKeys: ['long_url'] }).map((b) => JSON.stringify(b));
