import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { PROBLEM } from '../../representations/media-types';
import { DomainError } from '../domain/errors';
import { StoreConflictError, StoreUnavailableError } from '../domain/store-errors';
import { HttpError, PROBLEMS, PROBLEM_TYPE_BASE } from './problems';
import type { ProblemCode } from './problems';

const DOMAIN_TO_PROBLEM: Record<DomainError['kind'], ProblemCode> = {
  'not-found': 'not-found',
  gone: 'gone',
  conflict: 'code-taken',
  invalid: 'validation-failed',
  stale: 'precondition-failed',
};

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
  if (err instanceof StoreConflictError) return new HttpError('conflict', 'Another write changed this at the same moment; try again.');
  // Errors from Express and its parsers carry a 4xx status and a message safe to show.
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 413 ? 'payload-too-large' : 'bad-request';
    return new HttpError(code, status === 413 ? 'The request body is too large.' : 'The request could not be understood.');
  }
  return new HttpError('internal', 'An unexpected error occurred; it has been logged.');
}

/** The problem document (RFC 9457) of an error, serialised; `instance` is omitted when unknown. */
export function problemBytes(error: HttpError, instance?: string): Buffer {
  const body: Record<string, unknown> = {
    type: PROBLEM_TYPE_BASE + error.code,
    title: PROBLEMS[error.code].title,
    status: error.status,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    code: error.code,
    ...error.extensions,
  };
  return Buffer.from(JSON.stringify(body));
}

/** Writes a problem+json response (RFC 9457); bytes are written directly so no charset is appended. */
export function sendProblem(res: ServerResponse, error: HttpError, instance: string): void {
  const bytes = problemBytes(error, instance);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-store');
  res.statusCode = error.status;
  res.setHeader('Content-Type', PROBLEM);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
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
    sendProblem(res, error, path);
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
