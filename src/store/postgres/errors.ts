import { types } from 'node:util';
import { StoreConflictError, StoreUnavailableError } from '../../domain/store-errors';

// SQLSTATE classes and codes (postgresql.org/docs/15/errcodes-appendix.html) that mean "not now":
// 08 connection exception, 53 insufficient resources, 57P01-57P05 the server is shutting down,
// restarting or unreachable, 57014 a statement cancelled by statement_timeout, 40001/40P01 a
// serialisation failure or deadlock that a retry resolves, 25006 a read-only (standby) server.
const UNAVAILABLE_STATE = /^(08|53)...$|^57P0[1-5]$|^57014$|^40001$|^40P01$|^25006$/;
// What the socket layer and node-postgres say when there is no server or the connection broke.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CLIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Cannot use a pool after calling end|connection error/i;

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** True for a unique_violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return codeOf(err) === '23505';
}

/** Maps a node-postgres error to the contract's typed errors; anything else passes unchanged. */
export function translatePgError(err: unknown): unknown {
  // Errors Node raises itself (ECONNREFUSED) may come from another realm than this module's Error.
  if (!(err instanceof Error) && !types.isNativeError(err)) return err;
  const code = codeOf(err);
  if (code !== undefined && (UNAVAILABLE_STATE.test(code) || NETWORK_CODES.has(code))) {
    return new StoreUnavailableError(`PostgreSQL store unavailable (${code})`, { cause: err });
  }
  if (code === undefined && CLIENT_MESSAGES.test(err.message)) {
    return new StoreUnavailableError(`PostgreSQL store unavailable (${err.message})`, { cause: err });
  }
  if (isUniqueViolation(err)) return new StoreConflictError('PostgreSQL uniqueness conflict (23505)', { cause: err });
  if (code === '23503') return new StoreConflictError('PostgreSQL reference conflict (23503): the row it refers to does not exist', { cause: err });
  return err;
}

/** Who Facet connected as, and where: what a start-up failure names. */
export interface StartupTarget {
  /** host:port/database without credentials (describeDatabase). */
  where: string;
  role: string;
  database: string;
}

/**
 * A failure to connect or migrate at start-up, in one line that names the role and the command
 * that fixes it; null when it is none of the set-up mistakes known here. Commands run as the
 * `postgres` OS user, who administers a packaged server (Debian: `sudo -u postgres …`).
 */
export function describeStartupFailure(err: unknown, { where, role, database }: StartupTarget): string | null {
  const code = codeOf(err);
  const message = err instanceof Error || types.isNativeError(err) ? err.message : String(err);
  const create = `sudo -u postgres createuser --pwprompt ${role}`;
  if (code === '28000' && /^role ".*" does not exist$/.test(message)) {
    return `PostgreSQL at ${where} has no role "${role}": create it as the postgres OS user (${create}), with its database if that is new too (sudo -u postgres createdb -O ${role} ${database})`;
  }
  if (code === '28P01') {
    return `PostgreSQL at ${where} refused the password of role "${role}" (28P01; it says the same when the role does not exist): check the password in DATABASE_URL, or create the role (${create})`;
  }
  if (/client password must be a string|no password was provided/i.test(message)) {
    return `PostgreSQL at ${where} asks for a password and DATABASE_URL gives none for role "${role}": postgres://${role}:PASSWORD@host/${database} (a role made with ${create} has one)`;
  }
  if (code === '3D000') {
    return `PostgreSQL at ${where} has no database "${database}": create it owned by role "${role}" (sudo -u postgres createdb -O ${role} ${database})`;
  }
  const schema = code === '42501' ? /permission denied for schema (\S+)/.exec(message)?.[1] : undefined;
  if (schema !== undefined) {
    return `PostgreSQL role "${role}" may not create tables in schema ${schema} of database "${database}": createdb -O ${role} ${database}, or GRANT CREATE ON SCHEMA ${schema} TO ${role}`;
  }
  if (code === '42501') {
    return `PostgreSQL role "${role}" lacks a privilege in database "${database}" at ${where} (${message}): Facet needs to own its tables; give it a database of its own (sudo -u postgres createdb -O ${role} ${database})`;
  }
  return null;
}
