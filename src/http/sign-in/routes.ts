import type { IncomingMessage } from 'node:http';
import type { ShapeContext } from '../../../representations/context';
import type { Registry } from '../../../representations/registry';
import { OTHER_SCHEMAS } from '../../../representations/registry';
import type { AccountService } from '../../domain/accounts';
import type { LiveSession, SessionLifetimes, SessionService } from '../../domain/sessions';
import type { TokenService } from '../../domain/token-families';
import type { User } from '../../domain/types';
import type { UserService } from '../../domain/users';
import { readBody } from '../answer/body';
import { HttpError } from '../answer/problems';
import { prepareComputed } from '../answer/respond';
import type { AnswerOptions } from '../answer/respond';
import type { RouteRecord } from '../pipeline/route';
import type { SignInLimits } from './attempts';
import type { Authenticator } from './authenticate';
import { CLEARED_SESSION_COOKIE, sessionCookie } from './cookies';
import type { CsrfGuard } from './csrf';
import { sendUncached } from './json';
import { tokenAnswer } from './oauth';

/** What the sign-in routes answer with. */
export interface SignInRouteDeps {
  accounts: AccountService;
  sessions: SessionService;
  tokens: TokenService;
  users: UserService;
  auth: Authenticator;
  csrf: CsrfGuard;
  limits: SignInLimits;
  registry: Registry;
  ctx: () => ShapeContext;
  lifetimes: SessionLifetimes;
  answerOptions?: AnswerOptions;
}

const invalidCredentials = () => new HttpError('invalid-credentials', 'The e-mail address or the password is not right.', { headers: { 'WWW-Authenticate': 'Bearer realm="facet"' } });

/** The session answer: never the id itself, which travels only in the HttpOnly cookie. */
function sessionBody(session: LiveSession, user: User) {
  return { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), idleExpiresAt: session.idleExpiresAt.toISOString(), user: { id: user.id, name: user.name, email: user.email } };
}

/** Accounts, the web session and the mobile sign-in: `/api/accounts`, `/api/session`, `/api/tokens`, `/api/me/password`. */
export function signInRoutes(deps: SignInRouteDeps): RouteRecord[] {
  const { accounts, sessions, auth, csrf, limits } = deps;
  const me = deps.registry.resource('me');
  const json = (schema: string) => ({ 'application/json': { kind: 'json' as const, validate: deps.registry.validator(schema) } });
  const credentialsBody = json(OTHER_SCHEMAS.credentials);
  const accountBody = json(OTHER_SCHEMAS.accountCreate);
  const passwordBody = json(OTHER_SCHEMAS.passwordChange);

  /** Checks an e-mail and password under the failed-sign-in limits; the user's id, or the 401. */
  async function signIn(req: IncomingMessage): Promise<string> {
    const { body } = readBody(req, credentialsBody);
    const email = body.email as string;
    const attempt = await limits.attempt(email, req);
    const userId = await accounts.verifyLogin(email, body.password as string);
    if (userId === null) throw invalidCredentials();
    attempt.succeeded();
    return userId;
  }

  return [
    {
      method: 'POST', path: '/api/accounts', caller: 'anyone', guard: csrf.checkOrigin, offers: me, body: true,
      async handle(req, res, { type }) {
        const { body } = readBody(req, accountBody);
        const user = await accounts.register({ email: body.email as string, password: body.password as string, name: body.name as string });
        const answer = prepareComputed({ type, body: me.get(type).shape({ user, teams: [], keyKind: 'user' }, deps.ctx()), path: '/api/me', offers: me.offers }, deps.answerOptions);
        const headers = answer.ok.map((v, i) => (answer.ok[i - 1] === 'Cache-Control' ? 'no-store' : v));
        res.writeHead(201, [...headers, 'Location', '/api/me']).end(answer.body);
      },
    },
    {
      method: 'GET', path: '/api/session', caller: 'anyone', session: true,
      async handle(req, res) {
        const session = auth.sessionOf(res);
        if (!session) throw noSession();
        const user = await deps.users.get(session.userId);
        sendUncached(res, 200, sessionBody(session, user));
      },
    },
    {
      method: 'POST', path: '/api/session', caller: 'anyone', guard: csrf.checkOrigin, body: true,
      async handle(req, res) {
        // A new id on every sign-in; a cookie the client sent is never adopted (OWASP: session fixation).
        const userId = await signIn(req);
        const { id, session } = await sessions.start(userId);
        const user = await deps.users.get(userId);
        sendUncached(res, 201, sessionBody(session, user), ['Set-Cookie', sessionCookie(id, Math.floor(deps.lifetimes.absoluteMs / 1000)), 'Location', '/api/session']);
      },
    },
    {
      method: 'DELETE', path: '/api/session', caller: 'anyone', session: true,
      async handle(req, res) {
        const session = auth.sessionOf(res);
        if (!session) throw noSession();
        await sessions.end(session.hash);
        // W3C Clear-Site-Data: the browser drops what it kept for this origin, the cookie included.
        res.writeHead(204, ['Set-Cookie', CLEARED_SESSION_COOKIE, 'Clear-Site-Data', '"cookies", "storage"', 'Cache-Control', 'no-store']).end();
      },
    },
    {
      method: 'POST', path: '/api/tokens', caller: 'anyone', body: true,
      async handle(req, res) {
        tokenAnswer(res, await deps.tokens.issue(await signIn(req)));
      },
    },
    {
      method: 'POST', path: '/api/me/password', caller: 'signed-in', session: true, body: true,
      async handle(req, res, { principal }) {
        const { body } = readBody(req, passwordBody);
        await accounts.changePassword(principal!.userId, body.currentPassword as string, body.newPassword as string);
        // Every session and token of the user was revoked in the store; none may linger in this process's memory.
        auth.forget();
        const headers = principal!.via === 'session' ? ['Set-Cookie', CLEARED_SESSION_COOKIE] : [];
        res.writeHead(204, [...headers, 'Cache-Control', 'no-store']).end();
      },
    },
  ];
}

function noSession(): HttpError {
  return new HttpError('unauthorized', 'No live session: sign in with POST /api/session.', { headers: { 'WWW-Authenticate': 'Bearer realm="facet"' } });
}
