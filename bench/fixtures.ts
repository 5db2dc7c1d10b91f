import fs from 'node:fs';
import { DEFINITIONS } from '../representations/registry';
import { httpGet } from './http-get';
import type { Fetched } from './http-get';
import type { Scenario } from './scenarios';

/** One representation exactly as Facet served it; the baselines answer with the same bytes. */
export interface FixtureRepresentation {
  type: string;
  etag: string;
  /** Representation headers to repeat: Cache-Control, Vary, Link. */
  headers: Record<string, string>;
  /** Schema file under representations/ describing the body. */
  schema: string;
  body: string;
}

/** Everything the baselines serve: negotiated resources by path, and redirects. */
export interface Fixtures {
  resources: Record<string, FixtureRepresentation[]>;
  redirects: Record<string, { location: string; headers: Record<string, string> }>;
}

const REPEATED = ['cache-control', 'vary', 'link'];

function pick(res: Fetched, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = res.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** An identity 200 of `resource` as a fixture: its type, ETag, repeated headers, schema and body. */
export function representationFixture(res: Fetched, resource: keyof typeof DEFINITIONS, what: string): FixtureRepresentation {
  const type = res.headers['content-type'] ?? '';
  const def = DEFINITIONS[resource].find((d) => d.type === type);
  if (!def) throw new Error(`${what}: no ${resource} representation ${type}`);
  return { type, etag: res.headers.etag ?? '', headers: pick(res, REPEATED), schema: def.schema, body: res.body };
}

/** Fetches every scenario's response from the running service, before any load changes it. */
export async function fetchFixtures(baseUrl: string, scenarios: Scenario[]): Promise<Fixtures> {
  const fixtures: Fixtures = { resources: {}, redirects: {} };
  for (const s of scenarios) {
    // HEAD for a redirect: it is not a visit, so no click changes the bodies fetched after it.
    const method = s.status === 302 ? 'HEAD' : 'GET';
    const res = await httpGet(baseUrl + s.path, s.headers, method);
    if (s.status === 302) {
      if (res.status !== 302) throw new Error(`${s.name}: expected 302, got ${res.status}`);
      fixtures.redirects[s.path] = { location: res.headers.location ?? '', headers: pick(res, ['cache-control']) };
      continue;
    }
    if (res.status !== 200) throw new Error(`${s.name}: expected 200 from the service, got ${res.status}: ${res.body}`);
    const type = res.headers['content-type'] ?? '';
    const reps = (fixtures.resources[s.path] ??= []);
    if (reps.some((r) => r.type === type)) continue;
    reps.push(representationFixture(res, s.resource ?? 'link', s.name));
  }
  return fixtures;
}

/** Reads the fixture file a baseline process is started with. */
export function readFixtures(file: string): Fixtures {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Fixtures;
}
