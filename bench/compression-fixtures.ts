import http from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import zlib from 'node:zlib';
import { FULL, SUMMARY } from '../representations/media-types';
import { DEMO_KEYS } from '../src/domain/seed';
import { representationFixture } from './fixtures';
import type { Fixtures } from './fixtures';
import { httpGet } from './http-get';

/** The codings the compression bench loads with; identity (no Accept-Encoding) is the reference. */
export type LoadedCoding = 'identity' | 'gzip' | 'br';

/** One compressed request shape, sent unchanged to Facet and to the Fastify peer. */
export interface CompressionScenario {
  name: string;
  path: string;
  resource: 'dashboard' | 'link-page';
  coding: LoadedCoding;
  headers: Record<string, string>;
}

/** The bytes of one answer in one requested coding, and the coding it came in. */
export interface MeasuredSize {
  answer: string;
  sizes: Record<LoadedCoding, { bytes: number; encoding: string }>;
}

/** Items on the page loaded: the demo user's 40 seeded links and as many created as it takes. */
export const PAGE_SIZE = 50;
const PAGE = `/api/links?limit=${PAGE_SIZE}`;
const USER = { Authorization: `Bearer ${DEMO_KEYS.user}` };
const CARD = '/api/links/facet';

const LOADED: Omit<CompressionScenario, 'coding' | 'headers'>[] = [
  { name: 'dashboard full', path: '/api/dashboard', resource: 'dashboard' },
  { name: `${PAGE_SIZE}-link page full`, path: PAGE, resource: 'link-page' },
];

/** Dashboard full and a 50-link page, each asked for in gzip and in br (issue 14), and without Accept-Encoding for reference. */
export const COMPRESSION_SCENARIOS: CompressionScenario[] = LOADED.flatMap((s) => (['identity', 'gzip', 'br'] as const).map((coding) => ({
  ...s,
  name: `${s.name}, ${coding}`,
  coding,
  headers: coding === 'identity' ? { ...USER, Accept: FULL } : { ...USER, Accept: FULL, 'Accept-Encoding': coding },
})));

/** One answer whose sizes are recorded. */
export interface MeasuredAnswer {
  answer: string;
  path: string;
  headers: Record<string, string>;
}

/** The answers measured on the fresh seed (README's table), before the bench adds links. */
export const SEED_ANSWERS: MeasuredAnswer[] = [
  { answer: 'link card, summary', path: CARD, headers: { Accept: SUMMARY } },
  { answer: 'link card, full', path: CARD, headers: { Accept: FULL } },
  { answer: `links page, limit=${PAGE_SIZE}, full (the seed's 40 links)`, path: PAGE, headers: { ...USER, Accept: FULL } },
  { answer: 'stats of one link, full', path: `${CARD}/stats`, headers: { ...USER, Accept: FULL } },
  { answer: 'dashboard, summary', path: '/api/dashboard', headers: { ...USER, Accept: SUMMARY } },
  { answer: 'dashboard, full', path: '/api/dashboard', headers: { ...USER, Accept: FULL } },
];

/** The answers loaded, measured once the page holds PAGE_SIZE links (the full dashboard shows them too). */
export const LOADED_ANSWERS: MeasuredAnswer[] = [
  { answer: `page of ${PAGE_SIZE} links, full (loaded)`, path: PAGE, headers: { ...USER, Accept: FULL } },
  { answer: `dashboard, full, with ${PAGE_SIZE} links (loaded)`, path: '/api/dashboard', headers: { ...USER, Accept: FULL } },
];

const routeOf = (path: string) => new URL(path, 'http://x').pathname;

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Creates links for the demo user through the API until its first page holds PAGE_SIZE; returns how many it created. */
export async function fillLinkPage(baseUrl: string): Promise<number> {
  const page = await httpGet(baseUrl + PAGE, { ...USER, Accept: FULL });
  const have = (JSON.parse(page.body) as { items: unknown[] }).items.length;
  for (let i = have; i < PAGE_SIZE; i += 1) {
    const status = await post(`${baseUrl}/api/links`, { ...USER, Accept: FULL }, JSON.stringify({ url: `https://example.com/bench/page-${i}`, code: `bench-page-${i}`, title: `Bench link ${i}` }));
    if (status !== 201) throw new Error(`creating a link for the ${PAGE_SIZE}-link page: ${status}`);
  }
  return Math.max(0, PAGE_SIZE - have);
}

/** Asks Facet for each answer in identity, gzip and br and records the bytes it sent. */
export async function measureSizes(baseUrl: string, answers: MeasuredAnswer[]): Promise<MeasuredSize[]> {
  const out: MeasuredSize[] = [];
  for (const m of answers) {
    const sizes = {} as MeasuredSize['sizes'];
    for (const coding of ['identity', 'gzip', 'br'] as const) {
      const res = await httpGet(baseUrl + m.path, { ...m.headers, 'Accept-Encoding': coding });
      if (res.status !== 200) throw new Error(`${m.answer}: ${res.status} ${res.body.slice(0, 200)}`);
      sizes[coding] = { bytes: res.raw.length, encoding: res.headers['content-encoding'] ?? 'identity' };
    }
    out.push({ answer: m.answer, sizes });
  }
  return out;
}

/** The identity bodies of the loaded scenarios as Facet serves them, keyed by route for the Fastify peer. */
export async function fetchCompressionFixtures(baseUrl: string): Promise<Fixtures> {
  const fixtures: Fixtures = { resources: {}, redirects: {} };
  for (const s of LOADED) {
    const res = await httpGet(baseUrl + s.path, { ...USER, Accept: FULL });
    if (res.status !== 200) throw new Error(`${s.name}: expected 200 from the service, got ${res.status}: ${res.body}`);
    fixtures.resources[routeOf(s.path)] = [representationFixture(res, s.resource, s.name)];
  }
  return fixtures;
}

/**
 * Checks that a server answers a scenario in the coding asked for with the body Facet served
 * (decoded, as JSON), and returns the size of the coded body it sent.
 */
export async function probeCompressed(name: string, url: string, s: CompressionScenario, fixtures: Fixtures): Promise<number> {
  const fail = (why: string) => new Error(`${name} fails "${s.name}": ${why}`);
  const res = await httpGet(url + s.path, s.headers);
  if (res.status !== 200) throw fail(`status ${res.status}`);
  if ((res.headers['content-encoding'] ?? 'identity') !== s.coding) throw fail(`Content-Encoding ${res.headers['content-encoding'] ?? 'none'}`);
  const decoded = s.coding === 'br' ? zlib.brotliDecompressSync(res.raw) : s.coding === 'gzip' ? zlib.gunzipSync(res.raw) : res.raw;
  const expected = fixtures.resources[routeOf(s.path)]?.[0];
  if (!expected || !isDeepStrictEqual(JSON.parse(decoded.toString()), JSON.parse(expected.body))) throw fail('a body different from the service\'s');
  return res.raw.length;
}
