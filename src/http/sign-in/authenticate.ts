import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerHeader } from '../guards/common-headers';
import { LRUCache } from 'lru-cache';
import { SHORT_NAME } from '../../../representations/media-types';
import type { KeyUsage } from '../../domain/key-usage';
import type { FoundKey, KeyRepository } from '../../domain/repository';
import { KEY_PREFIX } from '../../domain/keys';
import { checksumHolds, hashSecret } from '../../domain/secrets';
import { SESSION_PREFIX } from '../../domain/sessions';
import type { LiveSession, SessionEntry, SessionService } from '../../domain/sessions';
import { ACCESS_PREFIX, REFRESH_PREFIX } from '../../domain/token-families';
import type { TokenService } from '../../domain/token-families';
import type { Principal } from '../../domain/types';
import { andThen } from '../pipeline/maybe';
import type { MaybePromise } from '../pipeline/maybe';
import { HttpError } from '../answer/problems';
import { isApi } from '../pipeline/stage';
import type { Stage } from '../pipeline/stage';
import type { SessionStage } from '../pipeline/route';
import { stateOf } from '../pipeline/state';
import { sessionIdOf } from './cookies';
import type { CsrfGuard } from './csrf';
import { isUnsafe } from './csrf';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
/** How long a key read from the store is trusted here; revocations announced by the store end it sooner. */
const REMEMBER_KEYS_MS = 60_000;

// RFC 6750 §3.1: a credential that is expired, revoked or malformed is `invalid_token`.
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="facet", error="invalid_token"' };
const invalidKey = (detail: string) => new HttpError('invalid-key', detail, { headers: CHALLENGE });
const invalidToken = () => new HttpError('invalid-token', 'The access token is not valid: it expired or was revoked. Refresh it at /oauth/token.', { headers: CHALLENGE });

/** Who is calling: one function for the dispatcher and for Express, for every credential. */
export interface Authenticator {
  /**
   * The principal of an Authorization header (an API key or a mobile access token): null for no
   * header (anonymous), at once when remembered, else a promise of one store read. Throws (or
   * rejects with) the 401 for a header that is present but not valid.
   */
  authenticate(header: string | undefined): MaybePromise<Principal | null>;
  /**
   * The caller on a route that takes the web session, after `authenticate`: the principal of the
   * Authorization header when one was sent (never cookie-bound, so no CSRF token), else the session
   * cookie's, whose unsafe requests must pass the CSRF guard. The session is recorded for `sessionOf`.
   */
  withSession(req: IncomingMessage, res: ServerResponse, bearer: Principal | null): MaybePromise<Principal | null>;
  /** The live session `withSession` found for this request, if the cookie authenticated it. */
  sessionOf(res: ServerResponse): LiveSession | null;
  /** The pipeline stage on all of /api: Authorization only (the public card ignores cookies). */
  stage: Stage;
  /** The stage of routes that take the web session (after `stage`): Vary on Cookie too, then `withSession`, then its write count. */
  sessionStage: SessionStage;
  /** Forgets every remembered key, session and token: one was revoked somewhere. */
  forget(): void;
}

/** A session's principal: a user, per-credential limits counted by the session; built once per remembered session. */
function sessionPrincipal(session: SessionEntry): Principal {
  session.principal ??= { userId: session.record.userId, keyId: `ses_${session.record.hash.slice(0, 16)}`, kind: 'user', via: 'session', scopes: null };
  return session.principal;
}

/**
 * Resolves credentials to principals. A present but wrong Authorization is a 401 even on public
 * resources, so a client never silently loses its key. Nothing presented is logged or echoed.
 */
export function createAuthenticator(deps: {
  keys: KeyRepository;
  sessions: SessionService;
  tokens: TokenService;
  csrf: CsrfGuard;
  keyUsage?: KeyUsage;
  now: () => Date;
  /** `Vary` of answers on routes that read the cookie. */
  vary: string;
  /** Counts a write the cookie authenticated under the per-credential quota (the limiter's countSessionWrite). */
  countSessionWrite: (req: IncomingMessage, res: ServerResponse, principal: Principal) => MaybePromise<void>;
}): Authenticator {
  const { keys, sessions, tokens, csrf, keyUsage, now } = deps;
  const knownKeys = new LRUCache<string, FoundKey>({ max: 10_000, ttl: REMEMBER_KEYS_MS });
  let forgotten = 0;

  function fromKey(found: FoundKey): Principal {
    if (found.expiresAt !== null && now().getTime() >= found.expiresAt.getTime()) throw invalidKey('The API key has expired (it was rotated); use its successor.');
    keyUsage?.seen(found.keyId);
    return { userId: found.userId, keyId: found.keyId, kind: found.kind, via: 'key', scopes: found.scopes, pin: found.pin };
  }

  async function lookUpKey(hash: string): Promise<Principal> {
    const epoch = forgotten;
    const found = await keys.findByHash(hash);
    if (!found) throw invalidKey('The API key is not valid or has been revoked.');
    if (epoch === forgotten) knownKeys.set(hash, found);
    return fromKey(found);
  }

  // One principal per remembered access token, so a hot request allocates none.
  const tokenPrincipals = new WeakMap<object, Principal>();
  function fromToken(token: string): MaybePromise<Principal> {
    return andThen(tokens.authenticate(token), (found) => {
      if (!found) throw invalidToken();
      let principal = tokenPrincipals.get(found);
      if (!principal) {
        principal = { userId: found.userId, keyId: found.familyId, kind: 'user', via: 'token', scopes: null };
        tokenPrincipals.set(found, principal);
      }
      return principal;
    });
  }

  function authenticate(header: string | undefined): MaybePromise<Principal | null> {
    if (header === undefined) return null;
    const match = BEARER.exec(header);
    if (!match) throw invalidKey('The Authorization header must be "Bearer <key or access token>".');
    const secret = match[1]!;
    if (secret.startsWith(ACCESS_PREFIX)) return fromToken(secret);
    // A key of the current format carries a checksum: a mistyped or made-up one costs no store read.
    // Refresh tokens and session ids are no bearer credentials: refused without a read too.
    if (secret.startsWith(KEY_PREFIX) ? !checksumHolds(secret) : secret.startsWith(REFRESH_PREFIX) || secret.startsWith(SESSION_PREFIX)) {
      throw invalidKey('The API key is not valid (its checksum does not match, or it is not a key).');
    }
    const hash = hashSecret(secret);
    const known = knownKeys.get(hash);
    return known ? fromKey(known) : lookUpKey(hash);
  }

  function withSession(req: IncomingMessage, res: ServerResponse, bearer: Principal | null): MaybePromise<Principal | null> {
    if (req.headers.authorization !== undefined) return bearer;
    const id = sessionIdOf(req);
    if (id === null) return null;
    return andThen(sessions.find(id), (session) => {
      if (!session) return null;
      // Only the cookie rides along on requests another site makes: they must prove they are ours.
      if (isUnsafe(req.method)) csrf.checkUnsafe(req, session.csrfToken);
      stateOf(res).session = session;
      return sessionPrincipal(session);
    });
  }

  return {
    authenticate,
    withSession,
    sessionOf(res) {
      const { session } = stateOf(res);
      return session ? sessions.view(session) : null;
    },
    forget() {
      forgotten += 1;
      knownKeys.clear();
      sessions.forget();
      tokens.forget();
    },
    stage: {
      name: 'authentication',
      applies: isApi,
      run(req, res) {
        return andThen(authenticate(req.headers.authorization), (principal) => { stateOf(res).principal = principal; });
      },
    },
    sessionStage: {
      run(req, res, bearer) {
        // Whatever this route answers now depends on the cookie too, a 401 or 403 included.
        answerHeader(res, 'Vary', deps.vary);
        return andThen(withSession(req, res, bearer), (principal) => {
          // A bearer caller's writes were counted per credential before; a session's are counted now.
          if (principal === null || principal === bearer) return principal;
          return andThen(deps.countSessionWrite(req, res, principal), () => principal);
        });
      },
    },
  };
}

/**
 * Counts the representation a key was answered in (if negotiation chose one), in memory, flushed
 * with the key's last use: called by the request observer for every recorded answer, so no
 * response carries a listener of its own for it.
 */
export function countKeyAnswers(keyUsage: KeyUsage): (res: ServerResponse) => void {
  return function countKeyAnswer(res) {
    const { principal, type } = stateOf(res);
    if (principal?.via === 'key' && type !== null) keyUsage.answered(principal.keyId, SHORT_NAME[type]);
  };
}
