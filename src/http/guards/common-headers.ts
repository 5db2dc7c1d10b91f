import { ServerResponse } from 'node:http';
import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { stateOf } from '../pipeline/state';

// Every answer carries nosniff, and a request may have headers that every answer to it carries
// unless the answer names its own (the /api Vary, a visit's RateLimit). They used to be set with
// setHeader as the request arrived; one header set before writeHead sends Node down its slow
// path (each of the answer's fields set one at a time over the progressive headers), which cost a
// prepared answer 3-5 µs (bench/RESULTS.md, "Where the microseconds go"). They are added when the
// head is written instead: a prepared answer's fields go out as one block, these in front.

type Fields = OutgoingHttpHeaders | readonly OutgoingHttpHeader[];

const NOSNIFF = 'X-Content-Type-Options';
const baseWriteHead = ServerResponse.prototype.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/** Whether `fields` (writeHead's name/value pairs or object) name a header, in any spelling. */
function names(fields: Fields | undefined, lower: string): boolean {
  if (fields === undefined) return false;
  if (!Array.isArray(fields)) return Object.keys(fields).some((name) => name.toLowerCase() === lower);
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i];
    if (typeof name === 'string' && name.length === lower.length && name.toLowerCase() === lower) return true;
  }
  return false;
}

/** Pairs the head adds: nosniff, then the request's own, each unless set before or named by `fields`. */
function added(res: ServerResponse, fields: Fields | undefined): string[] {
  const out: string[] = [];
  if (!res.hasHeader(NOSNIFF) && !names(fields, 'x-content-type-options')) out.push(NOSNIFF, 'nosniff');
  const pending = stateOf(res).headers;
  for (let i = 0; i < pending.length; i += 2) {
    const name = pending[i]!;
    if (!res.hasHeader(name) && !names(fields, name.toLowerCase())) out.push(name, pending[i + 1]!);
  }
  return out;
}

/**
 * Makes every response of `proto` (an app's `app.response`, the prototype its responses are born
 * with) write its head with the headers every answer carries: nosniff, and those the request's
 * stages gave with answerHeader(). A flat list of fields given to writeHead with none set before
 * stays one block; otherwise the added ones are set like any other header.
 */
export function installCommonHeaders(proto: ServerResponse): void {
  Object.defineProperty(proto, 'writeHead', {
    configurable: true,
    writable: true,
    value: function writeHead(this: ServerResponse, status: number, reason?: string | Fields, given?: Fields) {
      const fields = typeof reason === 'string' ? given : reason ?? given;
      const extra = added(this, fields);
      let out: Fields | undefined = fields;
      if (extra.length > 0) {
        if (fields === undefined || (Array.isArray(fields) && (fields.length === 0 || !Array.isArray(fields[0])))) {
          out = extra.concat((fields ?? []) as string[]);
        } else {
          for (let i = 0; i < extra.length; i += 2) this.setHeader(extra[i]!, extra[i + 1]!);
        }
      }
      // A block written with nothing set before is not readable with getHeader: sentHeader() reads it.
      if (Array.isArray(out)) stateOf(this).sent = out as readonly string[];
      return typeof reason === 'string' ? baseWriteHead.call(this, status, reason, out) : baseWriteHead.call(this, status, out);
    },
  });
}

/** A header every answer to this request carries unless the answer names its own (replacing any given before). */
export function answerHeader(res: ServerResponse, name: string, value: string): void {
  const state = stateOf(res);
  const pending: string[] = [];
  for (let i = 0; i < state.headers.length; i += 2) if (state.headers[i] !== name) pending.push(state.headers[i]!, state.headers[i + 1]!);
  pending.push(name, value);
  state.headers = pending;
}

/** A header as it is (or will be) sent: set with setHeader, written in a block, or given with answerHeader. */
export function sentHeader(res: ServerResponse, name: string): string | undefined {
  const set = res.getHeader(name);
  if (set !== undefined) return Array.isArray(set) ? set.join(', ') : String(set);
  const lower = name.toLowerCase();
  for (const list of [stateOf(res).sent, stateOf(res).headers]) {
    for (let i = 0; i < list.length; i += 2) if (String(list[i]).toLowerCase() === lower) return String(list[i + 1]);
  }
  return undefined;
}
