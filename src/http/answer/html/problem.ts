import type { HttpError } from '../problems';
import { PROBLEMS } from '../problems';
import { isOverLimit, parseAccept } from '../negotiation/accept-ranges';
import { htmlQuality } from '../negotiation/negotiate';
import { renderProblemPage, VIEW_CSP } from './page';
import { HTML_TYPE } from './view';

/** Wildcards, which a browser sends beside text/html and which never outweigh it at an equal q. */
const WILDCARDS = new Set(['*/*', 'application/*']);

/**
 * Whether a problem is answered as a page (rule 7 for errors): when Accept weighs text/html above
 * every range naming JSON (problem+json, application/json, a vendor type, `application/*+json`)
 * and at least as high as the wildcards. `*\/*`, curl and fetch() keep problem+json.
 */
export function problemAsPage(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('text/')) return false;
  const parsed = parseAccept(accept);
  if (isOverLimit(parsed)) return false;
  const htmlQ = htmlQuality(parsed);
  if (htmlQ === 0) return false;
  let namedQ = 0;
  let wildQ = 0;
  for (const r of parsed) {
    if (r.extraParams) continue;
    if (WILDCARDS.has(r.type)) wildQ = Math.max(wildQ, r.q);
    else if (r.type === 'application/json' || r.type.endsWith('+json')) namedQ = Math.max(namedQ, r.q);
  }
  return htmlQ > namedQ && htmlQ >= wildQ;
}

/** The page of a problem: same status, its problem document shown; headers the caller adds. */
export function problemPage(error: HttpError, document: object): { body: Buffer; headers: [string, string][] } {
  const page = renderProblemPage({ title: PROBLEMS[error.code].title, status: error.status, detail: error.message }, document);
  return { body: Buffer.from(page), headers: [['Content-Type', HTML_TYPE], ['Content-Security-Policy', VIEW_CSP]] };
}
