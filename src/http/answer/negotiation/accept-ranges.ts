import { MAX_ACCEPT_LENGTH, MAX_ACCEPT_RANGES, MAX_RANGE_PARAMETERS } from '../../guards/limits';

/** One media range of an Accept header, parsed (RFC 9110 §12.5.1). */
export interface MediaRange {
  /** Lower-cased `type/subtype`. */
  type: string;
  q: number;
  /** Parameters other than q and charset; a range that has any matches nothing. */
  extraParams: boolean;
  order: number;
}

/** An Accept header over one of the limits: which one, in words for the 400's detail. */
export interface AcceptOverLimit {
  overLimit: string;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const ANY: MediaRange[] = [{ type: '*/*', q: 1, extraParams: false, order: 0 }];

// tchar (RFC 9110 §5.6.2): ! # $ % & ' * + - . ^ _ ` | ~ DIGIT ALPHA
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

const COMMA = 0x2c;
const SEMI = 0x3b;

/** Index of the first character at or after `i` that is not optional whitespace (SP / HTAB). */
function skipOws(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i += 1;
  return i;
}

/** Index just past the token starting at `i` (`i` itself when there is none). */
function tokenEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] !== 1) break;
    i += 1;
  }
  return i;
}

/**
 * Index just past the quoted-string (RFC 9110 §5.6.4) whose DQUOTE is at `i`; -1 when it is
 * unterminated or holds a control character. Its value is never needed: a quoted q is no qvalue,
 * and other parameters only count.
 */
function quotedEnd(s: string, i: number): number {
  for (i += 1; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) i += 1; // quoted-pair: the next character is literal
    else if ((c < 0x20 && c !== 0x09) || c === 0x7f) return -1;
  }
  return -1;
}

/** The outcome of reading one list member: a range, or why there is none. */
type Member = MediaRange | 'malformed' | 'dropped' | 'over';

/**
 * Parses an Accept header into media ranges, reading no more than the limits allow: at most
 * MAX_ACCEPT_LENGTH characters, MAX_ACCEPT_RANGES list members and MAX_RANGE_PARAMETERS
 * parameters per range. The limits are counted here, on what this parser reads, so no other
 * scan can disagree with it about where a member or a quoted string ends. A missing or blank
 * header is `*\/*` (rule 1); an unparseable member or one with an invalid q is dropped, as if not sent.
 */
export function parseAccept(header: string | undefined): MediaRange[] | AcceptOverLimit {
  if (header === undefined) return ANY;
  if (header.length > MAX_ACCEPT_LENGTH) return { overLimit: `Accept may be at most ${MAX_ACCEPT_LENGTH} characters long.` };
  if (header.trim() === '') return ANY;
  const ranges: MediaRange[] = [];
  const cursor = { i: 0 };
  let members = 0;
  while (cursor.i < header.length) {
    cursor.i = skipOws(header, cursor.i);
    if (cursor.i >= header.length) break;
    if (header.charCodeAt(cursor.i) === COMMA) { // an empty list element (RFC 9110 §5.6.1)
      cursor.i += 1;
      continue;
    }
    members += 1;
    if (members > MAX_ACCEPT_RANGES) return { overLimit: `Accept may list at most ${MAX_ACCEPT_RANGES} media ranges.` };
    const range = readMember(header, cursor, members - 1);
    if (range === 'over') return { overLimit: `An Accept media range may have at most ${MAX_RANGE_PARAMETERS} parameters.` };
    if (typeof range === 'object') ranges.push(range);
    // A malformed member is skipped up to the next comma: one bad range must not spoil the others.
    const comma = range === 'malformed' ? header.indexOf(',', cursor.i) : cursor.i;
    cursor.i = comma === -1 ? header.length : comma + 1;
  }
  return ranges;
}

/** Reads one media range and its parameters from `cursor.i` up to its comma or the end. */
function readMember(s: string, cursor: { i: number }, order: number): Member {
  let i = cursor.i;
  const typeEnd = tokenEnd(s, i);
  if (typeEnd === i || s.charCodeAt(typeEnd) !== 0x2f) return 'malformed';
  const subtypeEnd = tokenEnd(s, typeEnd + 1);
  if (subtypeEnd === typeEnd + 1) return 'malformed';
  const type = s.slice(i, subtypeEnd).toLowerCase();
  i = subtypeEnd;
  let q = 1;
  let weighed = false;
  let valid = true;
  let extraParams = false;
  let parameters = 0;
  for (;;) {
    i = skipOws(s, i);
    cursor.i = i;
    if (i >= s.length || s.charCodeAt(i) === COMMA) break;
    if (s.charCodeAt(i) !== SEMI) return 'malformed';
    i = skipOws(s, i + 1);
    cursor.i = i;
    if (i >= s.length || s.charCodeAt(i) === COMMA || s.charCodeAt(i) === SEMI) continue; // an empty parameter
    parameters += 1;
    if (parameters > MAX_RANGE_PARAMETERS) return 'over';
    const nameEnd = tokenEnd(s, i);
    if (nameEnd === i) return 'malformed';
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipOws(s, nameEnd);
    cursor.i = i;
    // A name without a value (`;q`) is ignored, as the edge's normalisation (deploy/varnish) ignores it.
    if (i >= s.length || s.charCodeAt(i) === COMMA || s.charCodeAt(i) === SEMI) continue;
    if (s.charCodeAt(i) !== 0x3d) return 'malformed';
    i = skipOws(s, i + 1);
    const isQuoted = s.charCodeAt(i) === 0x22;
    const valueEnd = isQuoted ? quotedEnd(s, i) : tokenEnd(s, i);
    if (valueEnd === -1 || valueEnd === i) {
      cursor.i = valueEnd === -1 ? s.length : i;
      return 'malformed';
    }
    const value = isQuoted ? '' : s.slice(i, valueEnd);
    i = valueEnd;
    if (weighed) continue; // what follows the weight is an extension, not a media type parameter
    if (name === 'q') {
      weighed = true;
      if (!isQuoted && QVALUE.test(value)) q = Number(value);
      else valid = false;
    } else if (name !== 'charset') {
      extraParams = true;
    }
  }
  return valid ? { type, q, extraParams, order } : 'dropped';
}

/** True when a parse outcome is an over-limit refusal rather than ranges. */
export function isOverLimit(parsed: MediaRange[] | AcceptOverLimit): parsed is AcceptOverLimit {
  return !Array.isArray(parsed);
}
