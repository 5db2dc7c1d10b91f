import type { ServerResponse, IncomingMessage } from 'node:http';
import { DEFAULT_SIGN_IN } from './config';
import type { SignInSettings } from './config';
import { createAccountService } from './domain/accounts';
import type { AccountService } from './domain/accounts';
import type { KeyUsage } from './domain/key-usage';
import { createPasswordHasher } from './domain/passwords';
import type { Store } from './domain/repository';
import { createSessionService } from './domain/sessions';
import type { SessionLifetimes, SessionService } from './domain/sessions';
import { createTokenService } from './domain/token-families';
import type { TokenService } from './domain/token-families';
import type { Principal } from './domain/types';
import type { MaybePromise } from './http/pipeline/maybe';
import { createSignInLimits } from './http/sign-in/attempts';
import type { SignInLimits } from './http/sign-in/attempts';
import { createAuthenticator } from './http/sign-in/authenticate';
import type { Authenticator } from './http/sign-in/authenticate';
import { createCsrfGuard } from './http/sign-in/csrf';
import type { CsrfGuard } from './http/sign-in/csrf';

/** Everything sign-in is answered with: the authenticator every route uses, and the sign-in routes' services. */
export interface SignInParts {
  auth: Authenticator;
  accounts: AccountService;
  sessions: SessionService;
  tokens: TokenService;
  csrf: CsrfGuard;
  limits: SignInLimits;
  sessionLifetimes: SessionLifetimes;
}

/**
 * Builds the sign-in services from the settings (DEFAULT_SIGN_IN where not given) and subscribes
 * the authenticator to the store's announcements: a key, session or token revoked on any instance
 * stops working here at once.
 */
export function composeSignIn(deps: {
  settings: Partial<SignInSettings> | undefined;
  store: Store;
  now: () => Date;
  log: (message: string, err: unknown) => void;
  /** This service's origin (PUBLIC_BASE_URL's) and the CORS_ORIGINS list: what the CSRF guard admits. */
  ownOrigin: string;
  corsOrigins: readonly string[];
  /** `Vary` of the answers of routes that read the cookie. */
  sessionVary: string;
  keyUsage?: KeyUsage;
  countSessionWrite: (req: IncomingMessage, res: ServerResponse, principal: Principal) => MaybePromise<void>;
}): SignInParts {
  const { store, now, log } = deps;
  const signIn = { ...DEFAULT_SIGN_IN, ...deps.settings };
  const seconds = (s: number) => s * 1000;
  const sessionLifetimes = { idleMs: seconds(signIn.sessionIdleSeconds), absoluteMs: seconds(signIn.sessionAbsoluteSeconds) };
  const sessions = createSessionService({ credentials: store.credentials, lifetimes: sessionLifetimes, now, log });
  const tokens = createTokenService({
    credentials: store.credentials,
    lifetimes: { accessMs: seconds(signIn.accessTokenSeconds), refreshIdleMs: seconds(signIn.refreshIdleSeconds), refreshAbsoluteMs: seconds(signIn.refreshAbsoluteSeconds), graceMs: seconds(signIn.refreshGraceSeconds) },
    now,
  });
  const csrf = createCsrfGuard(deps.ownOrigin, deps.corsOrigins);
  const auth = createAuthenticator({ keys: store.keys, sessions, tokens, csrf, keyUsage: deps.keyUsage, now, vary: deps.sessionVary, countSessionWrite: deps.countSessionWrite });
  store.subscribe?.((change) => { if (change.kind === 'accounts' || change.kind === 'unknown') auth.forget(); });
  return {
    auth,
    accounts: createAccountService({ credentials: store.credentials, hasher: createPasswordHasher(signIn.passwordScryptLogN), now }),
    sessions,
    tokens,
    csrf,
    limits: createSignInLimits({ windowSeconds: signIn.failureWindowSeconds, perAccount: signIn.failuresPerAccount, perAddress: signIn.failuresPerAddress }, store.rateLimits, log, () => now().getTime()),
    sessionLifetimes,
  };
}
