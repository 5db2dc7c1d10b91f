import type { Stage } from '../pipeline/stage';
import { HttpError } from '../answer/problems';

/**
 * Request limits that every input is checked against before any work depends on its size.
 * Each check is one linear pass that stops as soon as the limit is crossed. The Accept limits are
 * counted by the parser negotiation uses (src/http/answer/negotiation/accept-ranges.ts), not by a second scan.
 */

/** Longest request target (path and query, RFC 9112 §3.2) answered; longer is a 414. */
export const MAX_REQUEST_TARGET = 2048;
/** Most media ranges read from one Accept header; more is a 400 (src/http/answer/negotiation/accept-ranges.ts counts them). */
export const MAX_ACCEPT_RANGES = 32;
/** Most parameters of one Accept media range (q and extensions included); more is a 400. */
export const MAX_RANGE_PARAMETERS = 8;
/** Longest Accept header read, in characters; longer is a 400 before any of it is parsed. */
export const MAX_ACCEPT_LENGTH = 1024;
/** Deepest nesting of arrays and objects in a request body; deeper is a 400. */
export const MAX_JSON_DEPTH = 20;

/** Answers 414 (RFC 9110 §15.5.15) for a request target over MAX_REQUEST_TARGET characters. */
export const requestTargetLimit: Stage = {
  name: 'request-target limit',
  run(req) {
    const length = (req.url ?? '').length;
    if (length > MAX_REQUEST_TARGET) throw new HttpError('uri-too-long', `The request target is ${length} characters long; at most ${MAX_REQUEST_TARGET} are read.`);
  },
};

/** True when JSON text nests arrays and objects more than `max` deep; brackets inside strings do not count. */
export function exceedsJsonDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // an escape: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** Throws a 400 for a body nested deeper than MAX_JSON_DEPTH, before it is parsed or validated. */
export function checkJsonDepth(text: string): void {
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) {
    throw new HttpError('json-too-deep', `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  }
}
