import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { hashKey } from '../domain/keys';
import type { Principal } from '../domain/types';
import type { KeyRepository } from '../domain/repository';
import { HttpError } from './problems';
import { stateOf } from './state';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

function invalidKey(detail: string): HttpError {
  return new HttpError('invalid-key', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="facet", error="invalid_token"' } });
}

/** Authentication as Express middleware, and the cached lookup for answers made outside Express. */
export interface Authenticator {
  middleware: RequestHandler;
  /**
   * The principal of an Authorization header when it is known without a read: null for no
   * header (anonymous), undefined when the middleware must decide (unknown key, malformed header).
   */
  peek(header: string | undefined): Principal | null | undefined;
  /** Forgets every remembered key: a key was revoked somewhere. */
  forget(): void;
}

/**
 * Resolves `Authorization: Bearer <key>` to a principal. No header: anonymous. A header that is
 * present but wrong is a 401 even on public resources, so a client never silently loses its key.
 * Valid keys are remembered for a minute, so a revoked key stops working within that time.
 */
export function createAuthenticator(keys: KeyRepository): Authenticator {
  const known = new LRUCache<string, Principal>({ max: 10_000, ttl: 60_000 });
  // No secret is ever compared, so no timingSafeEqual is needed: the key is found by the SHA-256
  // of what was presented (an indexed equality lookup, here and in the LRU). How long that takes
  // depends only on the hash, and steering a hash towards a stored one needs a preimage, so timing
  // reveals nothing about any key. Nor is the header logged or echoed in a problem.
  const hashOf = (header: string) => {
    const match = BEARER.exec(header);
    return match ? hashKey(match[1]!) : null;
  };
  return {
    forget: () => known.clear(),
    peek(header) {
      if (header === undefined) return null;
      const hash = hashOf(header);
      return hash === null ? undefined : known.get(hash);
    },
    middleware: async function authenticate(req, res, next) {
      const header = req.headers.authorization;
      if (header === undefined) return next();
      const hash = hashOf(header);
      if (hash === null) throw invalidKey('The Authorization header must be "Bearer <key>".');
      let principal = known.get(hash);
      if (!principal) {
        const found = await keys.findByHash(hash);
        if (!found) throw invalidKey('The API key is not valid or has been revoked.');
        principal = { userId: found.userId, keyId: found.keyId, kind: found.kind };
        known.set(hash, principal);
      }
      stateOf(res).principal = principal;
      next();
    },
  };
}
