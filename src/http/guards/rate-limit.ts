import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../domain/types';
import type { Stage } from '../pipeline/stage';
import type { RateLimits } from '../../config';
import type { RateLimitCounts } from '../../domain/repository';
import { clientAddress } from './client-address';
import { HttpError } from '../answer/problems';
import { createWindowSync } from './rate-limit-sync';
import { andThen } from '../pipeline/maybe';
import type { MaybePromise } from '../pipeline/maybe';
import { createPolicy, giveBack, needsExchange, take, usageOf, windowOf } from './rate-limit-windows';
import { createReadQuota } from './read-quota';
import type { Policy, Usage } from './rate-limit-windows';
import { stateOf } from '../pipeline/state';

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

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

/** Rate limiting: writes as Express middleware (by method, whatever the path), visits by the redirect route. */
export interface RateLimiter {
  /** The pipeline stage: counts writes (POST, PUT, PATCH, DELETE) per credential and per address; sets RateLimit fields, throws the 429. */
  stage: Stage;
  /** The read quota's stage (src/http/guards/read-quota.ts): GET and HEAD of /api per credential, or per address without one. */
  readStage: Stage;
  /**
   * Counts a short-link visit of the client's address and returns the RateLimit field name/value
   * pairs of the answer; throws the 429 when over the quota. Called by the redirect route, for
   * every spelling that reaches it, before the link is read.
   */
  countVisit(req: IncomingMessage): MaybePromise<string[]>;
  /**
   * Counts a write whose caller only the session cookie names (known after `stage`, which
   * counted its address) under the per-credential quota, adding its RateLimit fields to those set;
   * a read, under the session user's read quota instead of its address's.
   */
  countSessionWrite(req: IncomingMessage, res: ServerResponse, principal: Principal): MaybePromise<void>;
}

/**
 * Fixed-window rate limiting of writes (per API key and per client address), of short-link
 * visits (per address) and of /api reads (src/http/guards/read-quota.ts). Every limited response carries `RateLimit-Policy` and `RateLimit`
 * (draft-ietf-httpapi-ratelimit-headers); one over a quota is a 429 problem with `Retry-After`
 * (RFC 6585 §4). Counting is src/http/guards/rate-limit-windows.ts's.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const clock = options.clock ?? Date.now;
  const { windowSeconds } = options;
  const readWindowSeconds = options.readWindowSeconds ?? windowSeconds;
  const max = options.maxPartitions ?? 100_000;
  const readsPerCredential = createPolicy('read', options.readsPerCredential ?? 0, readWindowSeconds, max, '"read"');
  const readsPerAddress = createPolicy('read-per-address', options.readsPerAddress ?? 0, readWindowSeconds, max, '"read-per-address"');
  // Old windows are pruned from the store after twice the longest window any policy here counts in.
  const longest = Math.max(windowSeconds, readsPerCredential || readsPerAddress ? readWindowSeconds : 0);
  const sync = options.shared ? createWindowSync(options.shared, { windowMs: longest * 1000, clock, log: options.log ?? (() => undefined) }) : null;
  const writesPerKey = createPolicy('writes-per-key', options.writesPerKey, windowSeconds, max);
  const writesPerAddress = createPolicy('writes-per-address', options.writesPerAddress, windowSeconds, max);
  const redirectsPerAddress = createPolicy('redirects-per-address', options.redirectsPerAddress, windowSeconds, max);

  /**
   * Counts the request under each check; the RateLimit fields, or the 429 carrying them. With
   * shared counts, a request that decides a quota waits for one exchange with the store; if the
   * store cannot answer, it is decided on what this instance knows.
   */
  function count(checks: [Policy, string][]): MaybePromise<string[]> {
    const now = clock();
    const local = () => decide(checks.map(([policy, partition]) => take(policy, partition, now, sync)));
    if (!sync) return local();
    const windows = checks.map(([policy, partition]) => windowOf(policy, partition, now));
    if (!checks.some(([policy], i) => needsExchange(policy, windows[i]!))) return local();
    const items = checks.map(([policy, partition], i) => ({ policy: policy.name, partition, window: windows[i]! }));
    // Decided by the store's total right after this request: requests in flight on this instance
    // at the same moment are each decided by their own place in that order, none by another's.
    return sync.countNow(items).then(
      (totals) => decide(checks.map(([policy], i) => usageOf(policy, windows[i]!, now, totals[i]))),
      () => decide(checks.map(([policy], i) => usageOf(policy, windows[i]!, now))),
    );
  }

  function decide(usages: Usage[]): string[] {
    const fields = usageFields(usages);
    const exceeded = usages.filter((u) => u.exceeded);
    if (exceeded.length === 0) return fields;
    const wait = Math.max(...exceeded.map((u) => u.resetSeconds));
    const names = exceeded.map((u) => `${u.policy.name} (${u.policy.quota} per ${u.policy.windowMs / 1000} s)`).join(' and ');
    throw new HttpError('rate-limited', `Over the quota ${names}; retry in ${wait} s.`, {
      headers: { [fields[0]!]: fields[1]!, [fields[2]!]: fields[3]!, 'Retry-After': String(wait) },
    });
  }

  const reads = createReadQuota({
    perCredential: readsPerCredential,
    perAddress: readsPerAddress,
    count,
    giveBack: (policy, partition) => giveBack(policy, partition, clock(), sync),
    addressPartition,
  });

  return {
    readStage: reads.stage,
    stage: {
      name: 'write limits',
      run(req, res) {
        if (!WRITES.has(req.method ?? '')) return;
        const checks: [Policy, string][] = [];
        const principal = stateOf(res).principal;
        if (writesPerKey && principal) checks.push([writesPerKey, principal.keyId]);
        if (writesPerAddress) checks.push([writesPerAddress, addressPartition(clientAddress(req))]);
        if (checks.length === 0) return;
        return andThen(count(checks), (fields) => {
          for (let i = 0; i < fields.length; i += 2) res.setHeader(fields[i]!, fields[i + 1]!);
        });
      },
    },
    countVisit(req) {
      return redirectsPerAddress ? count([[redirectsPerAddress, addressPartition(clientAddress(req))]]) : [];
    },
    countSessionWrite(req, res, principal) {
      if (!WRITES.has(req.method ?? '')) return reads.countSessionRead(req, res, principal);
      if (!writesPerKey) return;
      return andThen(count([[writesPerKey, principal.keyId]]), (fields) => {
        for (let i = 0; i < fields.length; i += 2) {
          const set = res.getHeader(fields[i]!);
          res.setHeader(fields[i]!, set === undefined ? fields[i + 1]! : `${String(set)}, ${fields[i + 1]!}`);
        }
      });
    },
  };
}

function usageFields(usages: Usage[]): string[] {
  return [
    'RateLimit-Policy', usages.map((u) => `${u.policy.item};q=${u.policy.quota};w=${u.policy.windowMs / 1000}`).join(', '),
    'RateLimit', usages.map((u) => `${u.policy.item};r=${u.remaining};t=${u.resetSeconds}`).join(', '),
  ];
}
