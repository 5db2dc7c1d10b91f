import type { FieldError } from '../../domain/errors';

/** The coded catalogue of every error Facet answers with (RFC 9457 problem types). */
export const PROBLEMS = {
  'bad-request': { status: 400, title: 'Bad Request' },
  'malformed-json': { status: 400, title: 'Malformed JSON body' },
  'invalid-cursor': { status: 400, title: 'Invalid pagination cursor' },
  'invalid-query': { status: 400, title: 'Invalid query parameter' },
  'invalid-fields': { status: 400, title: 'Invalid field selection' },
  'json-too-deep': { status: 400, title: 'JSON nested too deeply' },
  'too-many-accept-ranges': { status: 400, title: 'Accept header over its limits' },
  unauthorized: { status: 401, title: 'Authentication required' },
  'invalid-key': { status: 401, title: 'Invalid API key' },
  'invalid-token': { status: 401, title: 'Invalid access token' },
  'invalid-credentials': { status: 401, title: 'Invalid e-mail or password' },
  forbidden: { status: 403, title: 'Forbidden' },
  'csrf-rejected': { status: 403, title: 'Cross-site request refused' },
  'insufficient-scope': { status: 403, title: 'Key lacks a scope' },
  'not-found': { status: 404, title: 'Not Found' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  'not-acceptable': { status: 406, title: 'Not Acceptable' },
  'request-timeout': { status: 408, title: 'Request Timeout' },
  'code-taken': { status: 409, title: 'Short code already taken' },
  conflict: { status: 409, title: 'Conflict' },
  'email-taken': { status: 409, title: 'E-mail already registered' },
  gone: { status: 410, title: 'Gone' },
  'precondition-failed': { status: 412, title: 'Precondition Failed' },
  'payload-too-large': { status: 413, title: 'Payload Too Large' },
  'uri-too-long': { status: 414, title: 'URI Too Long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'validation-failed': { status: 422, title: 'Validation failed' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'range-not-satisfiable': { status: 416, title: 'Range Not Satisfiable' },
  'header-fields-too-large': { status: 431, title: 'Request Header Fields Too Large' },
  internal: { status: 500, title: 'Internal Server Error' },
  unavailable: { status: 503, title: 'Service Unavailable' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

/** Field errors a problem lists; past it, `errorsOmitted` counts the rest, so a 422 stays small. */
export const MAX_FIELD_ERRORS = 20;

/** Problem type URIs are stable identifiers, the same in every deployment. */
export const PROBLEM_TYPE_BASE = 'https://facet.example/problems/';


/** The one error class: a catalogued problem plus detail, optional headers and extension members. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly headers: Record<string, string>;
  readonly extensions: { acceptable?: string[]; errors?: FieldError[]; errorsOmitted?: number };

  constructor(
    code: ProblemCode,
    detail: string,
    options: { headers?: Record<string, string>; acceptable?: string[]; errors?: FieldError[] } = {},
  ) {
    super(detail);
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.headers = options.headers ?? {};
    this.extensions = {};
    if (options.acceptable) this.extensions.acceptable = options.acceptable;
    if (options.errors) {
      this.extensions.errors = options.errors.slice(0, MAX_FIELD_ERRORS);
      if (options.errors.length > MAX_FIELD_ERRORS) this.extensions.errorsOmitted = options.errors.length - MAX_FIELD_ERRORS;
    }
  }
}

/** A 422 naming the bad fields: the first MAX_FIELD_ERRORS in `errors` and `detail`, then how many more. */
export function validationFailed(errors: FieldError[]): HttpError {
  const listed = errors.slice(0, MAX_FIELD_ERRORS).map((e) => e.detail).join('; ');
  const more = errors.length > MAX_FIELD_ERRORS ? `; and ${errors.length - MAX_FIELD_ERRORS} more` : '';
  return new HttpError('validation-failed', listed + more, { errors });
}
