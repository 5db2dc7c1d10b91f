/**
 * Failures of the store itself, declared beside the contract (./repository) so that the domain and
 * the HTTP layer never see a driver's error codes: each store maps its own codes to these.
 */

/** The store cannot answer now (locked, unreachable, timed out, disk full); a retry may succeed. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A write conflicted with another that committed first (a unique value, a serialisation failure). */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The store cannot be opened as configured (unreachable, unreadable, written by a newer Facet): start-up stops. */
export class StoreStartupError extends Error {
  override readonly name = 'StoreStartupError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
