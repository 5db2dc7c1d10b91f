import zlib from 'node:zlib';
import { prng } from '../../../src/domain/seed';
import { chooseEncoding } from '../../../src/http/answer/encoding/accept-encoding';
import type { Coding } from '../../../src/http/answer/encoding/accept-encoding';

/** An Accept-Encoding as a client sends it: absent, one line, or several lines (joined by Node and by std.collect alike). */
export type AcceptEncoding = string | string[] | undefined;

/** What the service picks for this header (Node joins repeated lines with ", "). */
export function serviceCoding(ae: AcceptEncoding): Coding {
  return chooseEncoding(Array.isArray(ae) ? ae.join(', ') : ae);
}

/** Spellings a client may send, hand-written: browsers, curl, case, q-values, `*`, identity, refusals. */
export const ENCODING_SPELLINGS: readonly AcceptEncoding[] = [
  undefined, '', ' ', 'identity', 'IDENTITY;q=1', '*;q=0, identity', 'gzip;q=0, br;q=0', 'deflate', 'compress, deflate',
  'gzip;q=0', '*;q=0', 'identity;q=0', 'zstd', 'br;q=0, *;q=0',
  'gzip', 'GZIP', 'x-gzip', 'X-GZip', 'gzip, deflate', 'br;q=0, gzip', 'br;q=0.5, gzip', 'deflate, gzip;q=1.0, *;q=0.5',
  'gzip;q=1, br;q=0.999', 'br;q=0.1, gzip;q=0.2', 'gzip;q=0.5', ' gzip ; q = 0.8 ', 'gzip;Q=0.5, br;q=0.4', 'br;q=, gzip',
  'br', 'BR', 'gzip, deflate, br', 'gzip, deflate, br, zstd', 'br, gzip', 'br;q=1.0, gzip;q=0.8, *;q=0.1', '*', 'identity;q=0.5, *',
  'br;q=0.5, gzip;q=0.5', 'gzip;q=0.5, br;q=0.5', 'br;q=2, gzip;q=0', '*;q=0.3', 'br;foo=bar;q=0.9, gzip;q=0.8',
  ['gzip;q=0.5', 'br'], 'br;q=0.7;q=0', 'gzip;q=0;q=1, br;q=0.5',
  // Long ones: just under the 1 KB the service reads, many parameters, and over it (identity).
  `${'deflate;q=0.5, '.repeat(66)}br`, `br${';level=1'.repeat(110)}, gzip;q=0.5`, `gzip;q=0.5, br${';a'.repeat(300)};q=2`, `br${';a'.repeat(400)}, gzip;q=0.5`, `br${'; q=0.5'.repeat(80)}, gzip;q=0.6`,
  `${'compress, '.repeat(103)}gzip`,
];

const NAMES = ['gzip', 'GZIP', 'x-gzip', 'br', 'Br', 'identity', '*', 'deflate', 'zstd', 'compress', ''];
const PARAMS = ['', ';q=0', ';q=0.5', ';q=1', ';q=1.000', ';q=0.001', ';Q=0.7', ';q=1.5', ';q=', ';q', ';foo=bar', ';q=0.5=1', ' ; q = 0.3 ', ';q=0.25;level=1', ';q=abc'];
const SEPARATORS = [',', ', ', ' ,', ',\t', ',,'];

/** `count` random headers of 1-6 members from the pieces above (fixed seed, so a failure repeats). */
export function generatedEncodings(count: number, seed = 14): string[] {
  const next = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const out = new Set<string>();
  while (out.size < count) {
    const members = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(NAMES) + pick(PARAMS));
    out.add(members.reduce((header, member) => header + pick(SEPARATORS) + member));
  }
  return [...out];
}

/** The body's bytes decoded by its Content-Encoding (none, gzip or br). */
export function decode(bytes: Buffer, contentEncoding: string | undefined): Buffer {
  if (contentEncoding === undefined) return bytes;
  if (contentEncoding === 'gzip') return zlib.gunzipSync(bytes);
  if (contentEncoding === 'br') return zlib.brotliDecompressSync(bytes);
  throw new Error(`unexpected Content-Encoding ${contentEncoding}`);
}
