import { parse } from 'content-type';

/** One media range of an Accept header, parsed (RFC 9110 §12.5.1). */
export interface MediaRange {
  /** Lower-cased `type/subtype`. */
  type: string;
  q: number;
  /** Parameters other than q and charset; a range that has any matches nothing. */
  extraParams: boolean;
  order: number;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Parses an Accept header into media ranges; a missing or blank header is `*\/*` (rule 1).
 * Unparseable ranges and ranges with an invalid q are dropped, as if not sent.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*/*', q: 1, extraParams: false, order: 0 }];
  const ranges: MediaRange[] = [];
  let index = 0;
  let order = 0;
  while (index < header.length) {
    let start = index;
    while (header[start] === ' ' || header[start] === '\t') start += 1;
    let parsed;
    try {
      parsed = parse(header, { comma: true, start });
    } catch {
      // Skip to the next comma: one bad range must not spoil the others.
      const comma = header.indexOf(',', start);
      if (comma === -1) break;
      index = comma + 1;
      continue;
    }
    index = parsed.index + 1;
    const range = toRange(parsed.type, parsed.parameters, order);
    order += 1;
    if (range) ranges.push(range);
  }
  return ranges;
}

function toRange(type: string, parameters: Record<string, string>, order: number): MediaRange | null {
  if (!type.includes('/')) return null;
  let q = 1;
  let extraParams = false;
  for (const [name, value] of Object.entries(parameters)) {
    if (name === 'q') {
      if (!QVALUE.test(value)) return null;
      q = Number(value);
      break; // what follows the weight is an extension, not a media type parameter
    } else if (name !== 'charset') {
      extraParams = true;
    }
  }
  return { type: type.toLowerCase(), q, extraParams, order };
}
