import type { IncomingMessage } from 'node:http';
import { normaliseEmail } from '../../domain/accounts';
import type { RateLimitCounts } from '../../domain/repository';
import { hashSecret } from '../../domain/secrets';
import { clientAddress } from '../guards/client-address';
import { HttpError } from '../answer/problems';
import { addressPartition } from '../guards/rate-limit';
import { createPolicy, windowOf } from '../guards/rate-limit-windows';
import type { Policy } from '../guards/rate-limit-windows';

/** How many failed sign-ins an account and an address may have per window. */
export interface SignInQuotas {
  windowSeconds: number;
  perAccount: number;
  perAddress: number;
}

/** Sign-in attempts, limited per account and per address (OWASP Authentication Cheat Sheet: stuffing and brute force). */
export interface SignInLimits {
  /**
   * Counts an attempt before its password is checked (so attempts in flight together cannot all
   * slip under the quota), and throws the 429 when the account or the address is over it, whether
   * or not the password is right; a refused attempt is taken back at once. Resolves with
   * `succeeded`, which takes the attempt back too: only failures stay counted.
   */
  attempt(email: string, req: IncomingMessage): Promise<{ succeeded(): void }>;
}

/**
 * Counted in the store's shared windows when it has them, so N instances never mean N chances
 * (each attempt waits for one round trip: sign-ins are rare and slow anyway); else in this process.
 * An account is counted by the hash of its e-mail, known or not, so the limit tells nothing either.
 */
export function createSignInLimits(quotas: SignInQuotas, shared: RateLimitCounts | undefined, log: (message: string, err: unknown) => void, clock: () => number = Date.now): SignInLimits {
  const policies = [
    createPolicy('sign-in-failures-per-account', quotas.perAccount, quotas.windowSeconds, 100_000),
    createPolicy('sign-in-failures-per-address', quotas.perAddress, quotas.windowSeconds, 100_000),
  ];
  async function count(checks: [Policy, string][], delta: number, now: number): Promise<number[]> {
    const local = checks.map(([policy, partition]) => {
      const window = windowOf(policy, partition, now);
      window.used = Math.max(0, window.used + delta);
      return window.used;
    });
    if (!shared) return local;
    try {
      return await shared.add(checks.map(([policy, partition]) => ({ policy: policy.name, partition, windowStart: windowOf(policy, partition, now).start, delta })));
    } catch (err) {
      log('shared sign-in counts unavailable; limiting on this instance\'s counts', err);
      return local;
    }
  }
  return {
    async attempt(email, req) {
      const now = clock();
      const partitions = [hashSecret(`account\0${normaliseEmail(email)}`).slice(0, 32), addressPartition(clientAddress(req))];
      const checks = policies.flatMap((policy, i) => (policy ? [[policy, partitions[i]!] as [Policy, string]] : []));
      const totals = await count(checks, 1, now);
      const over = checks.filter(([policy], i) => totals[i]! > policy.quota);
      if (over.length > 0) {
        // Refused unchecked, so not a failure: taken back, or a burst of right passwords would lock the account for the window.
        void count(checks, -1, now);
        const [policy, partition] = over[0]!;
        const wait = Math.max(1, Math.ceil((windowOf(policy, partition, now).start + policy.windowMs - now) / 1000));
        throw new HttpError('rate-limited', `Too many failed sign-ins for this account or from this address; retry in ${wait} s.`, { headers: { 'Retry-After': String(wait) } });
      }
      return {
        succeeded() {
          void count(checks, -1, now);
        },
      };
    },
  };
}
