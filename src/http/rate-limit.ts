import type { Request, RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { RateLimits } from '../config';
import type { RateLimitCounts } from '../domain/repository';
import { CODE_PATTERN, isReservedCode } from '../domain/codes';
import { HttpError } from './problems';
import { createWindowSync } from './rate-limit-sync';
import type { Window, WindowSync } from './rate-limit-sync';
import { stateOf } from './state';

/** Rate limits plus what tests replace: the clock windows are measured with, and the memory bound. */
export interface RateLimitOptions extends RateLimits {
  /** Milliseconds since the epoch; `Date.now` by default. */
  clock?: () => number;
  /** Partitions (keys or addresses) remembered per policy; the least recently seen are forgotten first. */
  maxPartitions?: number;
  /** Counts shared with the other instances on one store; without it, limits are this process's. */
  shared?: RateLimitCounts;
  /** Where failures to share counts are reported. */
  log?: (message: string, err: unknown) => void;
}


/** One quota policy (draft-ietf-httpapi-ratelimit-headers): `quota` requests per window per partition. */
interface Policy {
  name: string;
  quota: number;
  windows: LRUCache<string, Window>;
}

interface Usage {
  policy: Policy;
  remaining: number;
  resetSeconds: number;
  exceeded: boolean;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A visit of a short link: GET or HEAD of one path segment that can be a code. */
function isRedirect(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const segment = /^\/([^/]+)$/.exec(req.path)?.[1];
  return segment !== undefined && CODE_PATTERN.test(segment) && !isReservedCode(segment);
}

/**
 * The client's address as a partition: IPv4 as is (also when IPv4-mapped), IPv6 by its /64,
 * since one host usually holds a whole /64 and could otherwise rotate past any per-address limit.
 */
export function addressPartition(address: string | undefined): string {
  if (!address) return 'unknown';
  const ip = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${all.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The partition's window at `now`, a fresh one when the last has ended or was forgotten. Windows
 * are aligned to multiples of their length, so every instance sharing counts agrees on them.
 */
function windowAt(policy: Policy, partition: string, now: number, windowMs: number): Window {
  let window = policy.windows.get(partition);
  const start = now - (now % windowMs);
  if (!window || window.start !== start) {
    window = { start, used: 0, pushed: 0, others: 0 };
    policy.windows.set(partition, window);
  }
  return window;
}

/** Requests counted in the window by every instance, as far as this one knows. */
const usedOf = (window: Window) => window.used + window.others;

function take(policy: Policy, partition: string, now: number, windowMs: number, sync: WindowSync | null): Usage {
  const window = windowAt(policy, partition, now, windowMs);
  window.used += 1;
  sync?.touched(policy.name, partition, window);
  return {
    policy,
    remaining: Math.max(0, policy.quota - usedOf(window)),
    resetSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
    exceeded: usedOf(window) > policy.quota,
  };
}

/** Rate limiting as Express middleware, and the redirect check for answers made outside Express. */
export interface RateLimiter {
  middleware: RequestHandler;
  /**
   * Counts a short-link visit from `address` when it is within its quota and returns the
   * RateLimit header name/value pairs to send; null, counting nothing, when it is over (the
   * middleware then counts it and answers the 429).
   */
  admitRedirect(address: string | undefined): string[] | null;
}

const usageHeaders = (usages: Usage[], windowSeconds: number): string[] => [
  'RateLimit-Policy', usages.map((u) => `${u.policy.name};q=${u.policy.quota};w=${windowSeconds}`).join(', '),
  'RateLimit', usages.map((u) => `${u.policy.name};r=${u.remaining};t=${u.resetSeconds}`).join(', '),
];

/**
 * Fixed-window rate limiting of writes (POST, PUT, PATCH, DELETE: per API key and per client
 * address) and of short-link visits (per address). Every limited response carries
 * `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers); one over a quota is
 * a 429 problem with `Retry-After` (RFC 6585 §4). Memory is bounded by an LRU per policy; a
 * forgotten partition starts a fresh window. Runs after authentication, so the key is known.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const clock = options.clock ?? Date.now;
  const windowMs = options.windowSeconds * 1000;
  const max = options.maxPartitions ?? 100_000;
  const sync = options.shared ? createWindowSync(options.shared, { windowMs, clock, log: options.log ?? (() => undefined) }) : null;
  const policy = (name: string, quota: number): Policy | null =>
    quota > 0 ? { name, quota, windows: new LRUCache<string, Window>({ max }) } : null;
  const writesPerKey = policy('writes-per-key', options.writesPerKey);
  const writesPerAddress = policy('writes-per-address', options.writesPerAddress);
  const redirectsPerAddress = policy('redirects-per-address', options.redirectsPerAddress);

  return {
    middleware: function rateLimit(req, res, next) {
      const checks: [Policy, string][] = [];
      if (WRITES.has(req.method)) {
        const principal = stateOf(res).principal;
        if (writesPerKey && principal) checks.push([writesPerKey, principal.keyId]);
        if (writesPerAddress) checks.push([writesPerAddress, addressPartition(req.ip ?? req.socket.remoteAddress)]);
      } else if (redirectsPerAddress && isRedirect(req)) {
        checks.push([redirectsPerAddress, addressPartition(req.ip ?? req.socket.remoteAddress)]);
      }
      if (checks.length === 0) return next();

      const now = clock();
      const usages = checks.map(([p, partition]) => take(p, partition, now, windowMs, sync));
      const headers = usageHeaders(usages, options.windowSeconds);
      for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
      const exceeded = usages.filter((u) => u.exceeded);
      if (exceeded.length > 0) {
        const wait = Math.max(...exceeded.map((u) => u.resetSeconds));
        const names = exceeded.map((u) => `${u.policy.name} (${u.policy.quota} per ${options.windowSeconds} s)`).join(' and ');
        throw new HttpError('rate-limited', `Over the quota ${names}; retry in ${wait} s.`, { headers: { 'Retry-After': String(wait) } });
      }
      next();
    },
    admitRedirect(address) {
      if (!redirectsPerAddress) return [];
      const partition = addressPartition(address);
      const now = clock();
      if (usedOf(windowAt(redirectsPerAddress, partition, now, windowMs)) >= redirectsPerAddress.quota) return null;
      return usageHeaders([take(redirectsPerAddress, partition, now, windowMs, sync)], options.windowSeconds);
    },
  };
}
