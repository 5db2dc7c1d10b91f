import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../domain/types';
import type { MaybePromise } from '../pipeline/maybe';
import { andThen } from '../pipeline/maybe';
import type { Stage } from '../pipeline/stage';
import { isApi } from '../pipeline/stage';
import { stateOf } from '../pipeline/state';
import { clientAddress } from './client-address';
import type { Policy } from './rate-limit-windows';

const READS = new Set(['GET', 'HEAD']);

/** What the read quota needs of the rate limiter: its one rule for counting and deciding, and taking a count back. */
export interface ReadQuotaDeps {
  /** Reads per credential (keys by key, tokens and sessions by their user); null: off. */
  perCredential: Policy | null;
  /** Reads without a credential, per client address; null: off. */
  perAddress: Policy | null;
  /** Counts one request under each check: the RateLimit field name/value pairs, or throws the 429 carrying them. */
  count(checks: [Policy, string][]): MaybePromise<string[]>;
  /** Takes back a request counted under `policy` (it turned out to belong to another partition). */
  giveBack(policy: Policy, partition: string): void;
  /** The partition of an address (IPv6 by its /64), as every per-address limit has it. */
  addressPartition(address: string | undefined): string;
}

/** The read quota: the pipeline stage, and the count of a read the session cookie signs in (known only on its route). */
export interface ReadQuota {
  stage: Stage;
  countSessionRead(req: IncomingMessage, res: ServerResponse, principal: Principal): MaybePromise<void>;
}

/**
 * The partition of a credential: a key is its own (as for writes); tokens and sessions count by
 * their user, since signing in again mints a new one and would otherwise mint a new quota.
 */
export function credentialPartition(principal: Principal): string {
  return principal.via === 'key' ? principal.keyId : `user:${principal.userId}`;
}

function setFields(res: ServerResponse, fields: string[]): void {
  // Set before the route runs: the prepared answers' writeHead(status, [name, value, …]) names
  // neither field, so both reach the wire on 200 and 304 alike.
  for (let i = 0; i < fields.length; i += 2) res.setHeader(fields[i]!, fields[i + 1]!);
}

/**
 * Counts every GET and HEAD of /api after authentication: per credential with one, else per
 * client address. A credential's answers carry `RateLimit-Policy` and `RateLimit`
 * (draft-ietf-httpapi-ratelimit-headers-12); an anonymous read is counted but its answer carries
 * neither, because a shared cache may store it (the public card is `public, max-age=60`) and would
 * hand one client's remaining quota to the next. Past a quota, the 429 carries both and `Retry-After`.
 */
export function createReadQuota(deps: ReadQuotaDeps): ReadQuota {
  const { perCredential, perAddress, count, giveBack } = deps;
  /** The address partition an anonymous read was counted under, until its route signs a session in. */
  const anonymous = new WeakMap<ServerResponse, string>();

  return {
    stage: {
      name: 'read quota',
      applies: isApi,
      run(req, res) {
        if (!READS.has(req.method ?? '')) return;
        const { principal } = stateOf(res);
        if (principal) return perCredential ? andThen(count([[perCredential, credentialPartition(principal)]]), (fields) => setFields(res, fields)) : undefined;
        if (!perAddress) return;
        const partition = deps.addressPartition(clientAddress(req));
        return andThen(count([[perAddress, partition]]), () => {
          anonymous.set(res, partition);
        });
      },
    },
    countSessionRead(req, res, principal) {
      if (!READS.has(req.method ?? '')) return;
      // The stage counted this read by address (the cookie is read by its route only): it is the session's.
      const partition = anonymous.get(res);
      if (partition !== undefined && perAddress) giveBack(perAddress, partition);
      anonymous.delete(res);
      if (!perCredential) return;
      return andThen(count([[perCredential, credentialPartition(principal)]]), (fields) => setFields(res, fields));
    },
  };
}
