import { ConfigError, integer } from './config-values';

/** How long web sessions and mobile tokens live, how many failed sign-ins are allowed, how hard passwords are hashed. */
export interface SignInSettings {
  /** A web session ends after this long unused (sliding; OWASP: 15–30 min). */
  sessionIdleSeconds: number;
  /** A web session ends this long after sign-in whatever its use (OWASP: 4–8 h). */
  sessionAbsoluteSeconds: number;
  accessTokenSeconds: number;
  /** A refresh-token family ends after this long without a refresh. */
  refreshIdleSeconds: number;
  /** A refresh-token family ends this long after sign-in whatever its use. */
  refreshAbsoluteSeconds: number;
  /** The token retired by the latest rotation may be presented again within this time and gets the same successor. */
  refreshGraceSeconds: number;
  failureWindowSeconds: number;
  failuresPerAccount: number;
  failuresPerAddress: number;
  /** scrypt cost as log2(N); OWASP's 17 or more in production. */
  passwordScryptLogN: number;
}

/** OWASP's session timeouts and scrypt cost, Okta's refresh grace, RFC 9700-style lifetimes. */
export const DEFAULT_SIGN_IN: SignInSettings = {
  sessionIdleSeconds: 30 * 60,
  sessionAbsoluteSeconds: 8 * 3600,
  accessTokenSeconds: 15 * 60,
  refreshIdleSeconds: 30 * 86400,
  refreshAbsoluteSeconds: 90 * 86400,
  refreshGraceSeconds: 30,
  failureWindowSeconds: 15 * 60,
  failuresPerAccount: 10,
  failuresPerAddress: 100,
  passwordScryptLogN: 17,
};

/** SESSION_*, ACCESS_TOKEN_*, REFRESH_*, SIGNIN_* and PASSWORD_SCRYPT_LOG_N, validated; OWASP's scrypt cost at least in production. */
export function readSignInSettings(env: NodeJS.ProcessEnv, production: boolean): SignInSettings {
  const d = DEFAULT_SIGN_IN;
  const settings: SignInSettings = {
    sessionIdleSeconds: integer(env, 'SESSION_IDLE_SECONDS', d.sessionIdleSeconds, 60, 86400),
    sessionAbsoluteSeconds: integer(env, 'SESSION_ABSOLUTE_SECONDS', d.sessionAbsoluteSeconds, 60, 30 * 86400),
    accessTokenSeconds: integer(env, 'ACCESS_TOKEN_SECONDS', d.accessTokenSeconds, 10, 86400),
    refreshIdleSeconds: integer(env, 'REFRESH_IDLE_SECONDS', d.refreshIdleSeconds, 60, 365 * 86400),
    refreshAbsoluteSeconds: integer(env, 'REFRESH_ABSOLUTE_SECONDS', d.refreshAbsoluteSeconds, 60, 365 * 86400),
    refreshGraceSeconds: integer(env, 'REFRESH_GRACE_SECONDS', d.refreshGraceSeconds, 0, 300),
    failureWindowSeconds: integer(env, 'SIGNIN_WINDOW_SECONDS', d.failureWindowSeconds, 1, 86400),
    failuresPerAccount: integer(env, 'SIGNIN_FAILURES_PER_ACCOUNT', d.failuresPerAccount, 1, 1e6),
    failuresPerAddress: integer(env, 'SIGNIN_FAILURES_PER_ADDRESS', d.failuresPerAddress, 1, 1e9),
    passwordScryptLogN: integer(env, 'PASSWORD_SCRYPT_LOG_N', d.passwordScryptLogN, 10, 20),
  };
  if (production && settings.passwordScryptLogN < d.passwordScryptLogN) throw new ConfigError(`PASSWORD_SCRYPT_LOG_N below ${d.passwordScryptLogN} is refused in production (OWASP: scrypt N=2^17)`);
  return settings;
}
