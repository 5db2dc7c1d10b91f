import { StoreConflictError, StoreUnavailableError } from '../../domain/store-errors';

// SQLite result codes (sqlite.org/rescode.html) that mean "not now" rather than "wrong": BUSY and
// LOCKED, another connection or process holds the lock; IOERR_*, the disk or file failed; CANTOPEN,
// the file cannot be opened; FULL, the disk is full; READONLY_*, the file cannot be written now
// (permissions, moved, deleted); PROTOCOL, a lost locking race. Extended codes share the prefix.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)(_|$)/;
const BUSY = /^SQLITE_(BUSY|LOCKED)(_|$)/;

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** True when another connection holds the lock: worth another try in a moment. */
export function isBusy(err: unknown): boolean {
  return BUSY.test(codeOf(err) ?? '');
}

/** True for a uniqueness violation (a taken code, a duplicate key hash). */
export function isUniqueViolation(err: unknown): boolean {
  return codeOf(err) === 'SQLITE_CONSTRAINT_UNIQUE' || codeOf(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Maps a better-sqlite3 error to the contract's typed errors; anything else passes unchanged. */
export function translateSqliteError(err: unknown): unknown {
  const code = codeOf(err);
  if (code === undefined) return err;
  if (UNAVAILABLE.test(code)) return new StoreUnavailableError(`SQLite store unavailable (${code})`, { cause: err });
  if (isUniqueViolation(err)) return new StoreConflictError(`SQLite uniqueness conflict (${code})`, { cause: err });
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new StoreConflictError('SQLite reference conflict: the row it refers to does not exist', { cause: err });
  return err;
}
