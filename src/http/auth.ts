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

/** Authentication: one function, and its Express middleware form. */
export interface Authenticator {
  /**
   * The principal of an Authorization header: null for no header (anonymous), at once when the
   * key is remembered, else a promise of the key read. Throws (or rejects with) the 401.
   */
  authenticate(header: string | undefined): Principal | null | Promise<Principal>;
  /** Express middleware: authenticates and records the principal for the routes. */
  middleware: RequestHandler;
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
  async function lookUp(hash: string): Promise<Principal> {
    const found = await keys.findByHash(hash);
    if (!found) throw invalidKey('The API key is not valid or has been revoked.');
    const principal: Principal = { userId: found.userId, keyId: found.keyId, kind: found.kind };
    known.set(hash, principal);
    return principal;
  }
  function authenticate(header: string | undefined): Principal | null | Promise<Principal> {
    if (header === undefined) return null;
    const match = BEARER.exec(header);
    if (!match) throw invalidKey('The Authorization header must be "Bearer <key>".');
    const hash = hashKey(match[1]!);
    return known.get(hash) ?? lookUp(hash);
  }
  return {
    authenticate,
    forget: () => known.clear(),
    middleware: function authenticateRequest(req, res, next) {
      const principal = authenticate(req.headers.authorization);
      if (!(principal instanceof Promise)) {
        stateOf(res).principal = principal;
        return next();
      }
      return principal.then((found) => {
        stateOf(res).principal = found;
        next();
      });
    },
  };
}
