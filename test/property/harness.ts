import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import type { Response } from 'supertest';
import { PROBLEM } from '../../representations/media-types';
import type { ResourceName } from '../../representations/registry';
import { handleClientError } from '../../src/http/pipeline/client-error';
import { createTestApp, FIXED_NOW } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectValidBody } from '../helpers/schema';
import { expectNegotiatedVary } from '../http/http-expect';
import { CURRENT_ETAG } from './arbitraries';
import { problemAsPage } from '../../src/http/answer/html/problem';
import { HTML_TYPE } from '../../src/http/answer/html/view';

/** Seed of every property run: fixed, so a CI failure replays exactly; FACET_PROPERTY_SEED tries others. */
export const SEED = Number(process.env.FACET_PROPERTY_SEED ?? 20261120);

/** Generated cases per property; together at least 10,000 in every CI run. */
export const RUNS = { reads: 4000, writes: 4000, anyRequest: 2500 } as const;

/** The methods the properties send. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One generated request. */
export interface Case {
  method: Method;
  path: string;
  headers: Record<string, string | undefined>;
  body?: string;
}

/** What a route promises: the schema of its vendor bodies, and whether it negotiates (and so must send Vary). */
interface RouteTraits {
  resource?: ResourceName;
  negotiated: boolean;
}

const READS: Method[] = ['GET', 'HEAD'];

/** The traits of `method path`, matched the way the routers match it. */
export function routeTraits(method: Method, path: string): RouteTraits {
  const segments = path.split('?')[0]!.split('/').slice(1);
  const [first, second, third, fourth] = segments;
  const reads = READS.includes(method);
  if (first !== 'api' || segments.length < 2) return { negotiated: false };
  if (second === 'links' && segments.length === 2) {
    if (reads) return { resource: 'link-page', negotiated: true };
    return method === 'POST' ? { resource: 'link', negotiated: true } : { negotiated: false };
  }
  if (second === 'links' && segments.length === 3) {
    return reads || method === 'PATCH' ? { resource: 'link', negotiated: true } : { negotiated: false };
  }
  if (second === 'links' && segments.length === 4 && fourth === 'stats' && third !== undefined) return { resource: 'link-stats', negotiated: reads };
  if (second === 'me' && segments.length === 2) return { resource: 'me', negotiated: reads };
  if (second === 'teams' && segments.length === 3) return { resource: 'team', negotiated: reads };
  if (second === 'dashboard' && segments.length === 2) return { resource: 'dashboard', negotiated: reads };
  return { negotiated: false };
}

/** A seeded test app, listening on loopback so every case reuses one server. */
export interface PropertyApp {
  t: TestApp;
  base: string;
  /** What the app logged: every 5xx and every degradation. */
  logged: string[];
  close(): Promise<void>;
}

/** Starts the app of one property: rate limits off, the server wired as main.ts wires it. */
export async function startPropertyApp(): Promise<PropertyApp> {
  const logged: string[] = [];
  const t = await createTestApp({
    rateLimits: { writesPerKey: 0, writesPerAddress: 0, redirectsPerAddress: 0 },
    log: (message) => logged.push(message),
  });
  const server = http.createServer(t.app);
  server.on('clientError', handleClientError); // as in main.ts: what the parser refuses is a problem too
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    t,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logged,
    async close() {
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
      await t.close();
    },
  };
}

// A stack frame, a source location, or a path of this checkout or its data in a response means
// internals leaked. (Generic fragments such as "/src/" could be part of a URL a client sent.)
const STACK_FRAME = /\bat [\w$.<>]+ \(|\.(?:ts|js):\d+:\d+|node_modules/;
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const leaks = (app: PropertyApp, text: string) => STACK_FRAME.test(text) || text.includes(PROJECT_ROOT) || text.includes(app.t.dataDir);

/**
 * Asserts what every response owes whatever the input: no 5xx, nosniff and no X-Powered-By,
 * problem+json (valid against the problem schema; a page showing it for a browser) for every 4xx, a body valid against its
 * representation's schema otherwise, Vary on every negotiated 200/201/304/406, no internals.
 */
export function checkResponse(app: PropertyApp, c: Case, res: Response): void {
  const where = `${c.method} ${c.path}`;
  if (res.status >= 500) throw new Error(`${where} answered ${res.status}: ${res.text}`);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-powered-by']).toBeUndefined();
  const exposed = `${res.text ?? ''}\n${Object.values(res.headers).join('\n')}`;
  if (leaks(app, exposed)) throw new Error(`${where} exposed internals: ${exposed}`);
  const traits = routeTraits(c.method, c.path);
  if (res.status >= 400) {
    // A browser's Accept (text/html over every JSON range) gets the problem as a page, its JSON shown (rule 7).
    const type = problemAsPage(c.headers.accept) ? HTML_TYPE : PROBLEM;
    expect({ where, status: res.status, type: res.headers['content-type'] }).toEqual({ where, status: res.status, type });
    const body = expectValidBody(app.t.registry, res);
    if (c.method !== 'HEAD') expect(body.status).toBe(res.status);
  } else {
    expectValidBody(app.t.registry, res, traits.resource);
  }
  if (traits.negotiated && [200, 201, 304, 406].includes(res.status)) expectNegotiatedVary(res);
}

/** The ETag a GET of `path` answers with these headers, for a header that asks for the current one. */
async function currentEtag(app: PropertyApp, c: Case, path: string): Promise<string> {
  const probe: Case = { method: 'GET', path, headers: { accept: c.headers.accept, 'x-client-platform': c.headers['x-client-platform'], authorization: c.headers.authorization } };
  const res = await dispatch(app, probe);
  checkResponse(app, probe, res);
  return (res.headers.etag as string | undefined) ?? '"none"';
}

function dispatch(app: PropertyApp, c: Case): Promise<Response> {
  const method = c.method.toLowerCase() as Lowercase<Method>;
  const req = request(app.base)[method](c.path);
  for (const [name, value] of Object.entries(c.headers)) if (value !== undefined) req.set(name, value);
  // superagent gives a string body a form Content-Type when none is set, so those go as bytes.
  if (c.body !== undefined) req.send(c.headers['content-type'] ? c.body : Buffer.from(c.body));
  return req.then((res) => res);
}

/** Sends a case (resolving a "current ETag" placeholder first), checks the answer, returns its status. */
export async function sendAndCheck(app: PropertyApp, c: Case): Promise<number> {
  const headers = { ...c.headers };
  for (const name of ['if-none-match', 'if-match']) {
    const value = headers[name];
    if (value?.includes(CURRENT_ETAG)) headers[name] = value.replace(CURRENT_ETAG, await currentEtag(app, c, c.path.replace(/\/stats$|\?.*$/, '')));
  }
  const sent = { ...c, headers };
  const res = await dispatch(app, sent);
  checkResponse(app, sent, res);
  return res.status;
}

/**
 * Runs a property for `numRuns` generated cases from SEED and prints what was tried: the number
 * of cases, the statuses seen and how many were 5xx (there must be none).
 */
export async function runProperty<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, app: PropertyApp, run: (input: T) => Promise<number>): Promise<void> {
  const statuses = new Map<number, number>();
  await fc.assert(fc.asyncProperty(arbitrary, async (input) => {
    const status = await run(input);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }), { seed: SEED, numRuns });
  const cases = [...statuses.values()].reduce((a, b) => a + b, 0);
  const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  const seen = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  process.stdout.write(`property "${name}": ${cases} cases from seed ${SEED}; statuses ${seen}; 5xx: ${fiveHundreds}; logged errors: ${app.logged.length}\n`);
  expect(cases).toBe(numRuns);
  expect(fiveHundreds).toBe(0);
  expect(app.logged).toEqual([]);
}

/** Links the mutating properties may delete or change; put back after every case. */
export const POOL = [
  { code: 'prop-a', ownerId: 'usr_ada' },
  { code: 'prop-b', ownerId: 'usr_ada' },
  { code: 'prop-g', ownerId: 'usr_grace' },
  { code: 'prop-p', ownerId: 'usr_acme' },
] as const;

/** Re-creates any pool link a case deleted, so every case meets the same links. */
export async function restorePool(app: PropertyApp): Promise<void> {
  for (const { code, ownerId } of POOL) {
    if (await app.t.store.links.findByCode(code)) continue;
    await app.t.store.links.insert({ code, ownerId, url: `https://example.com/${code}`, title: code, tags: ['pool'], expiresAt: null }, FIXED_NOW);
  }
}
