import { DEFAULT_COMPRESS_MIN_BYTES } from './http/answer/encoding/compress';
import { LOG_LEVELS } from './observability/logger';
import { ConfigError, integer } from './config-values';
import { readSignInSettings } from './sign-in-config';
import { readLifecycle } from './lifecycle-config';
import type { Retirement } from './lifecycle-config';
import type { SignInSettings } from './sign-in-config';

export { ConfigError } from './config-values';
export { DEFAULT_SIGN_IN } from './sign-in-config';
export type { SignInSettings } from './sign-in-config';
export type { Retirement } from './lifecycle-config';

/** Service configuration, read once from the environment and validated. */
export interface Config {
  /** Requests allowed per window on writes, redirects and /api reads. */
  rateLimits: RateLimits;
  port: number;
  host: string | undefined;
  dataDir: string;
  /** PostgreSQL URL (postgres://…); unset means the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  /** Connections each process keeps to PostgreSQL at most. */
  pgPoolSize: number;
  /** PostgreSQL statement_timeout, in milliseconds: a slow statement fails (503) instead of holding a request. */
  pgStatementTimeoutMs: number;
  /** Processes serving on the port (node:cluster); more than 1 needs PostgreSQL. */
  workers: number;
  /** Public base URL without trailing slash; short URLs are built from it. */
  publicBaseUrl: string;
  production: boolean;
  /** Seed demo data (and the demo keys) into an empty database; never in production. */
  seedDemoData: boolean;
  /** Bytes of serialised representations kept in memory. */
  representationCacheBytes: number;
  /** `max-age` of the public link card, in seconds. */
  publicMaxAgeSeconds: number;
  /** Pending clicks are written at least this often, in milliseconds. */
  clickFlushMs: number;
  /** Lower-cased request header carrying the visitor's country, set by a trusted edge. */
  countryHeader: string;
  /** Time budget of each section of the full dashboard, in milliseconds. */
  dashboardBudgetMs: number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** A client must send its request headers within this time, in milliseconds (slow-header defence). */
  headersTimeoutMs: number;
  /** A client must send its whole request within this time, in milliseconds (slow-body defence). */
  requestTimeoutMs: number;
  /** Connections held at once; further ones are refused. */
  maxConnections: number;
  /** On SIGTERM, requests in flight get this long, in milliseconds, before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Bearer token `/metrics` requires; open when unset. */
  metricsToken: string | undefined;
  /** Origins (`scheme://host[:port]`) whose browser apps may call /api (CORS); none by default. */
  corsOrigins: string[];
  /** Bodies shorter than this many bytes are never compressed. */
  compressMinBytes: number;
  /** Lifetimes of sessions and tokens, sign-in limits and the password hash cost. */
  signIn: SignInSettings;
  /** Representations deprecated (DEPRECATE) and retired (SUNSET), validated together; none by default. */
  lifecycle: readonly Retirement[];
}

/** Rate limits of writes, redirects and /api reads (src/http/guards/rate-limit.ts): requests per fixed window; 0 turns a limit off. */
export interface RateLimits {
  windowSeconds: number;
  /** POST, PATCH and DELETE per API key. */
  writesPerKey: number;
  /** POST, PATCH and DELETE per client address, with or without a key. */
  writesPerAddress: number;
  /** Short-link visits (`GET /{code}`) per client address. */
  redirectsPerAddress: number;
  /** The read quota's window in seconds (`windowSeconds` when absent); GET and HEAD of /api per credential, and per address without one (absent: off). */
  readWindowSeconds?: number; readsPerCredential?: number; readsPerAddress?: number;
}

/** Generous enough that a person, an integration or the demo never meets them; a flood does. */
export const DEFAULT_RATE_LIMITS: RateLimits = { windowSeconds: 60, writesPerKey: 600, writesPerAddress: 1200, redirectsPerAddress: 6000 };

/** The service's read quota (GitHub's 5,000 an hour per token); not in DEFAULT_RATE_LIMITS, so apps built without it (tests) count no reads. */
export const DEFAULT_READ_QUOTA = { readWindowSeconds: 3600, readsPerCredential: 5000, readsPerAddress: 0 } as const satisfies Partial<RateLimits>;

function baseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_BASE_URL must use http or https, got "${raw}"`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function postgresUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  // The URL is not echoed: it may carry a password.
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new ConfigError(`DATABASE_URL must be a postgres:// or postgresql:// URL, got scheme "${url.protocol}"`);
  return raw;
}

function oneOf(env: NodeJS.ProcessEnv, name: string, allowed: readonly string[], fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

function headerName(raw: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(raw)) throw new ConfigError(`COUNTRY_HEADER must be an HTTP header name, got "${raw}"`);
  return raw.toLowerCase();
}

function metricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  // RFC 6750 §2.1 b64token, long enough not to be guessed.
  if (!/^[A-Za-z0-9._~+/-]{16,256}=*$/.test(raw)) throw new ConfigError('METRICS_TOKEN must be 16 to 256 characters of A-Z a-z 0-9 - . _ ~ + /');
  return raw;
}

function timeouts(env: NodeJS.ProcessEnv): { headersTimeoutMs: number; requestTimeoutMs: number } {
  const headersTimeoutMs = integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 1, 600_000);
  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  return { headersTimeoutMs, requestTimeoutMs };
}

function origins(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of list) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    // Browsers send an origin serialised (RFC 6454 §6.2): compared byte for byte, so it must be written that way.
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS must list origins written as scheme://host[:port] (lower case, no path or trailing slash), got "${origin}"`);
    }
  }
  return [...new Set(list)];
}

/** Reads and validates the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const production = env.NODE_ENV === 'production';
  const seed = env.SEED_DEMO_DATA ?? (production ? 'false' : 'true');
  const databaseUrl = postgresUrl(env.DATABASE_URL);
  const workers = integer(env, 'WORKERS', 1, 1, 64);
  // Several processes on one SQLite file would each keep caches and limits the others cannot see.
  if (workers > 1 && !databaseUrl) throw new ConfigError(`WORKERS=${workers} needs DATABASE_URL (PostgreSQL): the embedded SQLite store serves one process`);
  if (seed !== 'true' && seed !== 'false') throw new ConfigError(`SEED_DEMO_DATA must be true or false, got "${seed}"`);
  if (production && seed === 'true') throw new ConfigError('SEED_DEMO_DATA=true is refused in production: demo keys never reach production');
  return {
    rateLimits: {
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', DEFAULT_RATE_LIMITS.windowSeconds, 1, 86400),
      writesPerKey: integer(env, 'RATE_LIMIT_WRITES_PER_KEY', DEFAULT_RATE_LIMITS.writesPerKey, 0, 1e9),
      writesPerAddress: integer(env, 'RATE_LIMIT_WRITES_PER_ADDRESS', DEFAULT_RATE_LIMITS.writesPerAddress, 0, 1e9),
      redirectsPerAddress: integer(env, 'RATE_LIMIT_REDIRECTS_PER_ADDRESS', DEFAULT_RATE_LIMITS.redirectsPerAddress, 0, 1e9),
      readWindowSeconds: integer(env, 'RATE_LIMIT_READ_WINDOW_SECONDS', DEFAULT_READ_QUOTA.readWindowSeconds, 1, 86400),
      readsPerCredential: integer(env, 'RATE_LIMIT_READS_PER_CREDENTIAL', DEFAULT_READ_QUOTA.readsPerCredential, 0, 1e9),
      readsPerAddress: integer(env, 'RATE_LIMIT_READS_PER_ADDRESS', DEFAULT_READ_QUOTA.readsPerAddress, 0, 1e9),
    },
    port,
    host: env.HOST || undefined,
    dataDir: env.DATA_DIR || './data',
    databaseUrl,
    pgPoolSize: integer(env, 'PG_POOL_SIZE', 10, 1, 1000),
    pgStatementTimeoutMs: integer(env, 'PG_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    workers,
    publicBaseUrl: baseUrl(env.PUBLIC_BASE_URL || `http://localhost:${port}`),
    production,
    seedDemoData: seed === 'true',
    representationCacheBytes: integer(env, 'REPRESENTATION_CACHE_BYTES', 16 * 1024 * 1024, 0, 2 ** 31),
    publicMaxAgeSeconds: integer(env, 'PUBLIC_MAX_AGE', 60, 0, 31536000),
    clickFlushMs: integer(env, 'CLICK_FLUSH_MS', 1000, 10, 60000),
    countryHeader: headerName(env.COUNTRY_HEADER || 'CF-IPCountry'),
    dashboardBudgetMs: integer(env, 'DASHBOARD_BUDGET_MS', 250, 1, 60000),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    ...timeouts(env),
    maxConnections: integer(env, 'MAX_CONNECTIONS', 4096, 1, 1_000_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 1, 600_000),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    corsOrigins: origins(env.CORS_ORIGINS),
    compressMinBytes: integer(env, 'COMPRESS_MIN_BYTES', DEFAULT_COMPRESS_MIN_BYTES, 0, 2 ** 31),
    signIn: readSignInSettings(env, production),
    lifecycle: readLifecycle(env),
  };
}
