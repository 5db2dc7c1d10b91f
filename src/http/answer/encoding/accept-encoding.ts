/** Content codings Facet applies to response bodies, and the choice among them (RFC 9110 §12.5.3). */
export type ContentCoding = 'br' | 'gzip';

/** A response's coding: one of ours, or none. */
export type Coding = ContentCoding | 'identity';

/** At equal q the smaller coding wins; identity last, so `gzip, identity` means gzip. */
const PREFERENCE: readonly Coding[] = ['br', 'gzip', 'identity'];

/** Longer values are not parsed: identity is always an acceptable answer (§12.5.3). */
const MAX_HEADER_LENGTH = 1024;
const MEMO_ENTRIES = 64;
const memo = new Map<string, Coding>();

/** Below the smallest q a client can write (0.001). */
const UNNAMED_IDENTITY = 0.0001;

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/; // RFC 9110 §12.4.2

/** The q of each coding named, and of `*`; a member with a malformed weight is ignored. */
function weights(header: string): Map<string, number> {
  const q = new Map<string, number>();
  for (const member of header.split(',')) {
    const [name = '', ...params] = member.split(';').map((p) => p.trim());
    if (name === '') continue;
    let weight = 1;
    for (const param of params) {
      const [key, value = ''] = param.split('=').map((s) => s.trim());
      if (key?.toLowerCase() !== 'q') continue;
      weight = QVALUE.test(value) ? Number(value) : NaN;
    }
    if (Number.isNaN(weight)) continue;
    const coding = name.toLowerCase() === 'x-gzip' ? 'gzip' : name.toLowerCase(); // §8.4.1.3
    if (!q.has(coding)) q.set(coding, weight);
  }
  return q;
}

function choose(header: string): Coding {
  if (header.length > MAX_HEADER_LENGTH) return 'identity';
  const q = weights(header);
  const star = q.get('*');
  // Identity is acceptable unless refused by name, or by `*;q=0` without an entry of its own; when
  // unnamed it ranks below every named coding (as negotiator ranks it), so `gzip;q=0.5` means gzip.
  const weightOf = (c: Coding) => q.get(c) ?? star ?? (c === 'identity' ? UNNAMED_IDENTITY : 0);
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    const w = weightOf(coding);
    if (w > bestQ) [best, bestQ] = [coding, w];
  }
  // Nothing acceptable, identity refused included: §12.5.3 says answer without a content coding.
  return best;
}

/**
 * The coding to answer with for an `Accept-Encoding` value: the highest q among br, gzip and
 * identity (`q=0` refuses, `*` covers the unnamed), br before gzip before identity at equal q.
 * No header, an empty one or one refusing everything means identity.
 */
export function chooseEncoding(header: string | undefined): Coding {
  if (header === undefined || header === '') return 'identity';
  let coding = memo.get(header);
  if (coding === undefined) {
    coding = choose(header);
    if (header.length <= 128) {
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(header, coding);
    }
  }
  return coding;
}
