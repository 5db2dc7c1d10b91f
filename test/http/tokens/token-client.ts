import request from 'supertest';
import type { Response } from 'supertest';
import { OTHER_SCHEMAS } from '../../../representations/registry';
import { FIXED_NOW } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';

/** What POST /api/tokens and POST /oauth/token answer (RFC 6749 §5.1). */
export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/** A mutable clock for createTestApp({ now: () => clock.now }): expiry and the grace without sleeping. */
export interface Clock {
  now: Date;
  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void;
  /** Puts the clock back at FIXED_NOW. */
  reset(): void;
}

/** A clock that starts at FIXED_NOW. */
export function createClock(): Clock {
  const clock: Clock = {
    now: new Date(FIXED_NOW),
    advance(seconds) { clock.now = new Date(clock.now.getTime() + seconds * 1000); },
    reset() { clock.now = new Date(FIXED_NOW); },
  };
  return clock;
}

/** Asserts an RFC 6749 §5.1 token answer: 200, JSON valid against its schema, never cached; returns its body. */
export function expectTokens(t: TestApp, res: Response): Tokens {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json\b/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers.pragma).toBe('no-cache');
  const body = JSON.parse(res.text) as Tokens;
  const validate = t.registry.validator(OTHER_SCHEMAS.tokenResponse);
  if (!validate(body)) throw new Error(`not a token response: ${JSON.stringify(validate.errors)}\n${res.text}`);
  return body;
}

/** Asserts an RFC 6749 §5.2 error: 400, JSON valid against its schema with this `error`, never cached; returns its body. */
export function expectOAuthError(t: TestApp, res: Response, error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type'): { error: string; error_description?: string } {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/json\b/);
  expect(res.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(res.text) as { error: string; error_description?: string };
  const validate = t.registry.validator(OTHER_SCHEMAS.oauthError);
  if (!validate(body)) throw new Error(`not an OAuth error: ${JSON.stringify(validate.errors)}\n${res.text}`);
  expect(body.error).toBe(error);
  return body;
}

/** POST /api/tokens with a JSON e-mail and password. */
export const postTokens = (t: TestApp, email: string, password: string) =>
  request(t.app).post('/api/tokens').set('Content-Type', 'application/json').send(JSON.stringify({ email, password }));

/** Signs in as Ada (or another demo user) and returns the validated tokens. */
export async function signIn(t: TestApp, email = 'ada@example.com', password = 'ada-demo-password'): Promise<Tokens> {
  return expectTokens(t, await postTokens(t, email, password));
}

/** POST `path` with an `application/x-www-form-urlencoded` body, sent byte for byte. */
export const postForm = (t: TestApp, path: string, body: string) =>
  request(t.app).post(path).set('Content-Type', 'application/x-www-form-urlencoded').send(body);

/** POST /oauth/token grant_type=refresh_token for `refreshToken` (RFC 6749 §6). */
export const refresh = (t: TestApp, refreshToken: string) =>
  postForm(t, '/oauth/token', new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString());

/** Refreshes and returns the validated new tokens. */
export async function rotate(t: TestApp, refreshToken: string): Promise<Tokens> {
  return expectTokens(t, await refresh(t, refreshToken));
}

/** POST /oauth/revoke token=… (RFC 7009), with an optional token_type_hint. */
export const revoke = (t: TestApp, token: string, hint?: string) =>
  postForm(t, '/oauth/revoke', new URLSearchParams(hint ? { token, token_type_hint: hint } : { token }).toString());

/** GET `path` (default /api/me) with `Authorization: Bearer <credential>`. */
export const withBearer = (t: TestApp, credential: string, path = '/api/me') =>
  request(t.app).get(path).set('Authorization', `Bearer ${credential}`);
