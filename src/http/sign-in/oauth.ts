import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'content-type';
import type { IssuedTokens, TokenService } from '../../domain/token-families';
import type { RouteRecord } from '../pipeline/route';
import { sendUncached } from './json';

/** RFC 6749 §5.2 error codes this server answers with. */
type OAuthErrorCode = 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type';

/** An OAuth error: answered as RFC 6749 §5.2 JSON, not as a problem, so OAuth client libraries read it. */
class OAuthError extends Error {
  constructor(readonly error: OAuthErrorCode, description: string) {
    super(description);
  }
}

/** The RFC 6749 §5.1 answer of a sign-in or a refresh. */
export function tokenAnswer(res: ServerResponse, issued: IssuedTokens): void {
  sendUncached(res, 200, { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresInSeconds, refresh_token: issued.refreshToken });
}

/**
 * The parameters of an `application/x-www-form-urlencoded` body (RFC 6749 §3.2, RFC 7009 §2.1);
 * invalid_request for another type or a parameter sent twice (RFC 6749 §3.2 forbids repeats).
 */
function formOf(req: IncomingMessage): Map<string, string> {
  let type: string;
  try {
    type = parse(req.headers['content-type'] ?? '').type;
  } catch {
    type = '';
  }
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  const raw: unknown = (req as IncomingMessage & { body?: unknown }).body;
  const params = new URLSearchParams(Buffer.isBuffer(raw) ? raw.toString('utf8') : '');
  const form = new Map<string, string>();
  for (const [name, value] of params) {
    if (form.has(name)) throw new OAuthError('invalid_request', `The parameter ${name.slice(0, 40)} is sent more than once.`);
    form.set(name, value);
  }
  return form;
}

/** A handler whose OAuthErrors are answered as RFC 6749 §5.2 JSON; anything else goes on to the problem answer. */
function answeringOAuthErrors(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RouteRecord['handle'] {
  return async function oauthEndpoint(req, res) {
    try {
      await handle(req, res);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      sendUncached(res, 400, { error: err.error, error_description: err.message });
    }
  };
}

/** `POST /oauth/token` (refresh, RFC 6749 §6) and `POST /oauth/revoke` (RFC 7009), as OAuth client libraries call them. */
export function oauthRoutes(deps: { tokens: TokenService }): RouteRecord[] {
  return [
    {
      method: 'POST', path: '/oauth/token', caller: 'anyone', body: true,
      handle: answeringOAuthErrors(async function refreshTokens(req, res) {
        const form = formOf(req);
        const grant = form.get('grant_type');
        if (grant === undefined) throw new OAuthError('invalid_request', 'grant_type is missing.');
        // RFC 9700 §2.4: the password grant must not be used; sign in at POST /api/tokens.
        if (grant !== 'refresh_token') throw new OAuthError('unsupported_grant_type', 'Only grant_type=refresh_token is supported here; sign in with POST /api/tokens.');
        const presented = form.get('refresh_token');
        if (!presented) throw new OAuthError('invalid_request', 'refresh_token is missing.');
        const issued = await deps.tokens.refresh(presented);
        if (!issued) throw new OAuthError('invalid_grant', 'The refresh token is not valid: unknown, expired, revoked, or already used.');
        tokenAnswer(res, issued);
      }),
    },
    {
      method: 'POST', path: '/oauth/revoke', caller: 'anyone', body: true,
      handle: answeringOAuthErrors(async function revokeToken(req, res) {
        const form = formOf(req);
        const token = form.get('token');
        if (!token) throw new OAuthError('invalid_request', 'token is missing.');
        // RFC 7009 §2.2: an unknown or already invalid token is no error (200); token_type_hint is only a hint.
        await deps.tokens.revoke(token);
        res.writeHead(200, ['Cache-Control', 'no-store', 'Content-Length', '0']).end();
      }),
    },
  ];
}
