import { MAX_ACCEPT_LENGTH, MAX_ACCEPT_RANGES, MAX_RANGE_PARAMETERS } from '../limits';

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

/**
 * Parses an Accept header into media ranges, reading no more than the limits allow: at most
 * MAX_ACCEPT_LENGTH characters, MAX_ACCEPT_RANGES list members and MAX_RANGE_PARAMETERS
 * parameters per range. The limits are counted here, on what this parser reads, so no other
 * scan can disagree with it about where a member or a quoted string ends. A missing or blank
 * header is `*\/*` (rule 1); an unparseable member or one with an invalid q is dropped, as if not sent.
 */
export function parseAccept(accept: string | undefined): MediaRange[] | AcceptOverLimit {
  if (accept === undefined) return ANY;
  if (accept.length > MAX_ACCEPT_LENGTH) return { overLimit: `Accept may be at most ${MAX_ACCEPT_LENGTH} characters long.` };
  if (accept.trim() === '') return ANY;
  const header: string = accept;
  const ranges: MediaRange[] = [];
  let members = 0;
  let i = 0;
  const n = header.length;
  const ows = () => { while (i < n && (header.charCodeAt(i) === 0x20 || header.charCodeAt(i) === 0x09)) i += 1; };
  const token = () => {
    const start = i;
    while (i < n && header.charCodeAt(i) < 128 && TCHAR[header.charCodeAt(i)] === 1) i += 1;
    return header.slice(start, i);
  };
  /** A quoted-string (RFC 9110 §5.6.4) starting at i: its value, or null when unterminated or invalid. */
  const quoted = (): string | null => {
    let value = '';
    for (i += 1; i < n; i += 1) {
      const c = header.charCodeAt(i);
      if (c === 0x22) { i += 1; return value; }
      if (c === 0x5c) { i += 1; if (i >= n) return null; value += header[i]; continue; } // quoted-pair
      if (c < 0x20 && c !== 0x09) return null;
      if (c === 0x7f) return null;
      value += header[i];
    }
    return null;
  };

  while (i < n) {
    ows();
    if (i >= n) break;
    if (header.charCodeAt(i) === 0x2c) { i += 1; continue; } // an empty list element (RFC 9110 §5.6.1)
    members += 1;
    if (members > MAX_ACCEPT_RANGES) return { overLimit: `Accept may list at most ${MAX_ACCEPT_RANGES} media ranges.` };
    const range = member(members - 1);
    if (range === 'over') return { overLimit: `An Accept media range may have at most ${MAX_RANGE_PARAMETERS} parameters.` };
    if (typeof range === 'object') ranges.push(range);
    // A malformed member is skipped up to the next comma: one bad range must not spoil the others.
    const comma = range === 'malformed' ? header.indexOf(',', i) : i;
    i = comma === -1 ? n : comma + 1;
  }
  return ranges;

  /** One media range with its parameters, up to its comma or the end; `dropped` for an invalid q. */
  function member(order: number): MediaRange | 'malformed' | 'dropped' | 'over' {
    const type = token();
    if (type === '' || header[i] !== '/') return 'malformed';
    i += 1;
    const subtype = token();
    if (subtype === '') return 'malformed';
    let q = 1;
    let weighed = false;
    let valid = true;
    let extraParams = false;
    let parameters = 0;
    for (;;) {
      ows();
      if (i >= n) break;
      const c = header.charCodeAt(i);
      if (c === 0x2c) break;
      if (c !== 0x3b) return 'malformed';
      i += 1;
      ows();
      if (i >= n || header.charCodeAt(i) === 0x2c || header.charCodeAt(i) === 0x3b) continue; // an empty parameter
      parameters += 1;
      if (parameters > MAX_RANGE_PARAMETERS) return 'over';
      const name = token().toLowerCase();
      if (name === '') return 'malformed';
      ows();
      if (header[i] !== '=') return 'malformed';
      i += 1;
      ows();
      const value = header[i] === '"' ? quoted() : token();
      if (value === null || value === '') return 'malformed';
      if (weighed) continue; // what follows the weight is an extension, not a media type parameter
      if (name === 'q') {
        weighed = true;
        if (QVALUE.test(value)) q = Number(value);
        else valid = false;
      } else if (name !== 'charset') {
        extraParams = true;
      }
    }
    return valid ? { type: `${type}/${subtype}`.toLowerCase(), q, extraParams, order } : 'dropped';
  }
}

/** True when a parse outcome is an over-limit refusal rather than ranges. */
export function isOverLimit(parsed: MediaRange[] | AcceptOverLimit): parsed is AcceptOverLimit {
  return !Array.isArray(parsed);
}
