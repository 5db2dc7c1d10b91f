/** One field-level error: a JSON Pointer (RFC 6901) into the request body and what is wrong there. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** Why a domain operation refused: plain reasons the HTTP layer maps to statuses. */
export class DomainError extends Error {
  constructor(
    readonly kind: 'not-found' | 'gone' | 'conflict' | 'invalid' | 'stale' | 'email-taken',
    message: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
  }
}
