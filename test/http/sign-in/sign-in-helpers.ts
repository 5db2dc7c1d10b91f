import request from 'supertest';
import type { Response } from 'supertest';
import { OTHER_SCHEMAS } from '../../../representations/registry';
import type { TestApp } from '../../helpers/test-app';

/** Helpers the sign-in suites share: the demo accounts, signing in, reading Set-Cookie, JSON bodies. */

/** The only cookie name that carries a session. */
export const SESSION_COOKIE = '__Host-facet_session';
/** PUBLIC_BASE_URL's origin in every test app. */
export const OWN_ORIGIN = 'http://localhost:3000';
/** A browser app on a sibling origin, listed in CORS_ORIGINS where a suite says so. */
export const SPA_ORIGIN = 'http://localhost:5173';

/** An account's e-mail and password. */
export interface Account {
  email: string;
  password: string;
}

export const ADA = { email: 'ada@example.com', password: 'ada-demo-password', id: 'usr_ada', name: 'Ada Lovelace' } as const;
export const GRACE = { email: 'grace@example.com', password: 'grace-demo-password', id: 'usr_grace', name: 'Grace Hopper' } as const;

/** The body of POST and GET /api/session (schema sign-in/session.schema.json). */
export interface SessionBody {
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
  user: { id: string; name: string; email: string };
}

/** A signed-in browser: the cookie's value, the `Cookie` header that sends it, and the session body. */
export interface SignedIn {
  id: string;
  cookie: string;
  csrfToken: string;
  body: SessionBody;
  res: Response;
}

/**
 * Validates an `application/json` body against one of the sign-in schemas; the parsed body.
 * A 204 or a HEAD answer must have no body.
 */
export function expectJsonBody<T = Record<string, unknown>>(t: TestApp, res: Response, schema: keyof typeof OTHER_SCHEMAS): T {
  expect(res.headers['content-type']).toMatch(/^application\/json(;|$)/);
  const body: unknown = JSON.parse(res.text);
  const validate = t.registry.validator(OTHER_SCHEMAS[schema]);
  if (!validate(body)) throw new Error(`body does not match ${OTHER_SCHEMAS[schema]}: ${JSON.stringify(validate.errors)}\n${res.text}`);
  return body as T;
}

/** One parsed `Set-Cookie` (RFC 6265 §5.2): attribute names lower-cased, flags as `true`. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** Parses a `Set-Cookie` header value. */
export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const at = part.indexOf('=');
    const name = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    attributes[name] = at === -1 ? true : part.slice(at + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** Every `Set-Cookie` of an answer. */
export function setCookiesOf(res: Response): string[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

/** POST /api/session with a JSON body and extra headers, as it is (no assertion). */
export function postSession(t: TestApp, body: unknown, headers: Record<string, string | string[]> = {}) {
  return request(t.app).post('/api/session').set('Content-Type', 'application/json').set(headers).send(JSON.stringify(body));
}

/** Signs in and asserts the 201: the session's cookie and body. */
export async function signIn(t: TestApp, account: Account = ADA, headers: Record<string, string | string[]> = {}): Promise<SignedIn> {
  const res = await postSession(t, { email: account.email, password: account.password }, headers);
  if (res.status !== 201) throw new Error(`sign-in of ${account.email} answered ${res.status}: ${res.text}`);
  const body = expectJsonBody<SessionBody>(t, res, 'session');
  const cookies = setCookiesOf(res);
  expect(cookies).toHaveLength(1);
  const cookie = parseSetCookie(cookies[0]!);
  expect(cookie.name).toBe(SESSION_COOKIE);
  return { id: cookie.value, cookie: `${SESSION_COOKIE}=${cookie.value}`, csrfToken: body.csrfToken, body, res };
}

let serial = 0;

/** A fresh e-mail address for one test. */
export function freshEmail(label: string): string {
  serial += 1;
  return `${label}-${serial}-${process.pid}@example.com`;
}

/** Registers an account with POST /api/accounts and asserts the 201. */
export async function register(t: TestApp, account: Account & { name?: string }): Promise<string> {
  const res = await request(t.app).post('/api/accounts').set('Content-Type', 'application/json')
    .send(JSON.stringify({ email: account.email, password: account.password, name: account.name ?? 'Test Person' }));
  if (res.status !== 201) throw new Error(`registering ${account.email} answered ${res.status}: ${res.text}`);
  return (JSON.parse(res.text) as { id: string }).id;
}

/** Replaces the character at `index` with another one of the same alphabet (base62). */
export function changeOneCharacter(value: string, index: number): string {
  const c = value[index]!;
  return value.slice(0, index) + (c === 'A' ? 'B' : 'A') + value.slice(index + 1);
}

/** The headers of an answer without those that may differ between two identical requests. */
export function stableHeaders(res: Response, alsoIgnore: RegExp = /^$/): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (name === 'date' || name.startsWith('ratelimit') || alsoIgnore.test(name)) continue;
    out[name] = value;
  }
  return out;
}
