import type { IncomingMessage, ServerResponse } from 'node:http';
import { sentHeader } from '../guards/common-headers';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { PROBLEM } from '../../../representations/media-types';
import { DomainError } from '../../domain/errors';
import { HasherBusyError } from '../../domain/passwords';
import { StoreConflictError, StoreUnavailableError } from '../../domain/store-errors';
import { problemAsPage, problemPage } from './html/problem';
import { HttpError, PROBLEMS, PROBLEM_TYPE_BASE } from './problems';
import type { ProblemCode } from './problems';

const DOMAIN_TO_PROBLEM: Record<DomainError['kind'], ProblemCode> = {
  'not-found': 'not-found',
  gone: 'gone',
  conflict: 'code-taken',
  invalid: 'validation-failed',
  stale: 'precondition-failed',
  'email-taken': 'email-taken',
};

/** 4xx statuses Express and express.static report, with what they are answered. */
const CLIENT_ERRORS: Record<number, { code: ProblemCode; detail: string }> = {
  404: { code: 'not-found', detail: 'No such resource.' },
  412: { code: 'precondition-failed', detail: 'A precondition (If-Match or If-Unmodified-Since) does not hold for the current version.' },
  413: { code: 'payload-too-large', detail: 'The request body is too large.' },
  415: { code: 'unsupported-media-type', detail: 'The request body\'s media type is not supported.' },
  416: { code: 'range-not-satisfiable', detail: 'The requested range lies outside the file.' },
};

/** Headers that describe a representation: never left on a problem that replaced it. */
const REPRESENTATION_HEADERS = ['ETag', 'Last-Modified', 'Accept-Ranges', 'Content-Range', 'Content-Encoding'];

/** Seconds a client is asked to wait (Retry-After) while the store is busy or unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** Maps anything thrown to an HttpError; store outages become a 503, unknown errors an opaque 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return new HttpError(DOMAIN_TO_PROBLEM[err.kind], err.message, { errors: err.fieldErrors });
  if (err instanceof StoreUnavailableError) {
    return new HttpError('unavailable', 'The store is busy or unreachable; try again shortly.', {
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) },
    });
  }
  if (err instanceof HasherBusyError) return new HttpError('unavailable', err.message, { headers: { 'Retry-After': '1' } });
  if (err instanceof StoreConflictError) return new HttpError('conflict', 'Another write changed this at the same moment; try again.');
  // Errors from Express, its parsers and express.static carry a 4xx status: answered with it.
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const known = CLIENT_ERRORS[status];
    if (!known) return new HttpError('bad-request', 'The request could not be understood.');
    const range = (err as { headers?: Record<string, unknown> }).headers?.['Content-Range'];
    // RFC 9110 §15.5.17: a 416 says the representation's length in Content-Range.
    const headers = status === 416 && typeof range === 'string' ? { 'Content-Range': range } : undefined;
    return new HttpError(known.code, known.detail, { headers });
  }
  return new HttpError('internal', 'An unexpected error occurred; it has been logged.');
}

/** The problem document (RFC 9457) of an error, serialised; `instance` is omitted when unknown. */
export function problemBytes(error: HttpError, instance?: string): Buffer {
  return Buffer.from(JSON.stringify(problemDocument(error, instance)));
}

function problemDocument(error: HttpError, instance?: string): Record<string, unknown> {
  return {
    type: PROBLEM_TYPE_BASE + error.code,
    title: PROBLEMS[error.code].title,
    status: error.status,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    code: error.code,
    ...error.extensions,
  };
}

/**
 * Writes a problem+json response (RFC 9457); bytes are written directly so no charset is appended.
 * A browser's request (`accept` weighs text/html first) gets the problem as a page, same status.
 */
export function sendProblem(res: ServerResponse, error: HttpError, instance: string, accept?: string): void {
  const document = problemDocument(error, instance);
  const page = problemAsPage(accept) ? problemPage(error, document) : null;
  const bytes = page ? page.body : Buffer.from(JSON.stringify(document));
  // A handler may have described a representation (express.static sets ETag and max-age before it
  // checks preconditions); the problem replaces it and is never stored.
  for (const name of REPRESENTATION_HEADERS) res.removeHeader(name);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.statusCode = error.status;
  varyOnAccept(res);
  for (const [name, value] of page?.headers ?? [['Content-Type', PROBLEM]]) res.setHeader(name, value);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/** Adds Accept to the answer's Vary: whether a problem is a page depends on it. */
function varyOnAccept(res: ServerResponse): void {
  const current = sentHeader(res, 'Vary') ?? '';
  if (!/(^|,)\s*accept\s*(,|$)/i.test(current)) res.setHeader('Vary', current === '' ? 'Accept' : `${current}, Accept`);
}

/** Answers anything thrown while answering a request; `path` is the request path without its query. */
export type AnswerFailure = (req: IncomingMessage, res: ServerResponse, err: unknown, path: string) => void;

/**
 * The one answer to a failure, on every path: problem+json without internals, a 5xx logged; a
 * response already under way is cut off rather than continued with a second status line.
 */
export function createFailureAnswer(log: (message: string, err: unknown) => void): AnswerFailure {
  return function answerFailure(req, res, err, path) {
    const error = toHttpError(err);
    if (error.status >= 500) log(`${req.method} ${path} failed`, err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, error, path, req.headers.accept);
  };
}

/** Express's error handler: the failure answer, with Express's parsed path. */
export function createErrorHandler(answerFailure: AnswerFailure): ErrorRequestHandler {
  return function errorHandler(err, req, res, _next) {
    answerFailure(req, res, err, req.path);
  };
}

/** Unknown routes: a 404 problem. */
export const notFoundHandler: RequestHandler = function notFound(req, _res, next) {
  next(new HttpError('not-found', `No resource at ${req.path}.`));
};
