import { performance } from 'node:perf_hooks';
import { DEMO_KEYS, DEMO_PASSWORDS } from '../src/domain/seed';
import { httpGet } from './http-get';
import type { Fetched } from './http-get';
import { epochMs } from './settings';

/** The three ways a client proves who it is: a partner's API key, the web's session cookie, the mobile app's access token. */
export const CREDENTIALS = ['key', 'cookie', 'token'] as const;
export type Credential = (typeof CREDENTIALS)[number];

/** The demo user's sign-in body, as a client sends it. */
const ADA = JSON.stringify({ email: 'ada@example.com', password: DEMO_PASSWORDS['ada@example.com'] });
const SESSION_COOKIE = '__Host-facet_session';
/** A sign-in waits for its scrypt turn behind every other one: far longer than a read may. */
const SIGN_IN_TIMEOUT_MS = 180_000;

/** One sign-in as the demo user, timed: POST /api/session (the web) or POST /api/tokens (mobile). */
export async function signIn(baseUrl: string, path: '/api/session' | '/api/tokens'): Promise<{ res: Fetched; ms: number }> {
  const started = performance.now();
  const res = await httpGet(baseUrl + path, { 'Content-Type': 'application/json', Accept: 'application/json' }, 'POST', ADA, SIGN_IN_TIMEOUT_MS);
  return { res, ms: performance.now() - started };
}

/** The request header each credential travels in, signing the demo user in once for the cookie and once for the token. */
export async function credentialHeaders(baseUrl: string): Promise<Record<Credential, Record<string, string>>> {
  const session = (await signIn(baseUrl, '/api/session')).res;
  const cookie = (session.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (session.status !== 201 || !cookie) throw new Error(`POST /api/session: ${session.status}, no ${SESSION_COOKIE} cookie: ${session.body.slice(0, 200)}`);
  const tokens = (await signIn(baseUrl, '/api/tokens')).res;
  const token = tokens.status === 200 ? (JSON.parse(tokens.body) as { access_token?: string }).access_token : undefined;
  if (!token) throw new Error(`POST /api/tokens: ${tokens.status}: ${tokens.body.slice(0, 200)}`);
  return { key: { Authorization: `Bearer ${DEMO_KEYS.user}` }, cookie: { Cookie: cookie }, token: { Authorization: `Bearer ${token}` } };
}

/** What a run of sign-ins measured; `fromMs`/`toMs` in epoch milliseconds, latencies in milliseconds. */
export interface SignInRun {
  fromMs: number;
  toMs: number;
  latencies: number[];
  /** How many answers of each status (0: no answer). */
  statuses: Record<string, number>;
}

async function timed(runs: Promise<{ res: Fetched; ms: number } | null>[], fromMs: number): Promise<SignInRun> {
  const done = await Promise.all(runs);
  const statuses: Record<string, number> = {};
  for (const d of done) statuses[String(d?.res.status ?? 0)] = (statuses[String(d?.res.status ?? 0)] ?? 0) + 1;
  return { fromMs, toMs: epochMs(), latencies: done.flatMap((d) => (d ? [d.ms] : [])), statuses };
}

/** `count` web sign-ins sent at once, each on its own connection. */
export function signInBurst(baseUrl: string, count: number): Promise<SignInRun> {
  const fromMs = epochMs();
  return timed(Array.from({ length: count }, () => signIn(baseUrl, '/api/session').catch(() => null)), fromMs);
}

/** `count` web sign-ins one after the other: the cost of one on a server doing nothing else. */
export async function signInsInTurn(baseUrl: string, count: number): Promise<SignInRun> {
  const fromMs = epochMs();
  const runs: { res: Fetched; ms: number }[] = [];
  for (let i = 0; i < count; i += 1) runs.push(await signIn(baseUrl, '/api/session'));
  return timed(runs.map((r) => Promise.resolve(r)), fromMs);
}
