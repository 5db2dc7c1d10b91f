import { isDeepStrictEqual } from 'node:util';
import type { Fixtures } from './fixtures';
import { httpGet } from './http-get';
import type { Scenario } from './scenarios';

/** The request headers to load a server with, and the body size it answered. */
export interface Probe {
  headers: Record<string, string>;
  bodyBytes: number;
}

/**
 * Checks, before loading it, that a server answers a scenario as Facet did: the expected status,
 * the same Content-Type and the same JSON (the same Location for a redirect). For revalidation it
 * first asks the server for its own ETag and returns headers carrying it in If-None-Match.
 */
export async function probe(name: string, url: string, s: Scenario, fixtures: Fixtures): Promise<Probe> {
  const fail = (why: string) => new Error(`${name} fails "${s.name}": ${why}`);
  let headers = s.headers;
  if (s.status === 304) {
    const etag = (await httpGet(url + s.path, headers)).headers.etag;
    if (!etag) throw fail('no ETag to revalidate');
    headers = { ...headers, 'If-None-Match': etag };
  }
  const res = await httpGet(url + s.path, headers);
  const body = res.body;
  if (res.status !== s.status) throw fail(`status ${res.status}, expected ${s.status}: ${body.slice(0, 200)}`);
  if (s.status === 302) {
    if (res.headers.location !== fixtures.redirects[s.path]?.location) throw fail(`Location ${res.headers.location}`);
  } else if (s.status === 200) {
    const type = res.headers['content-type'] ?? '';
    const expected = fixtures.resources[s.path]?.find((r) => type.startsWith(r.type));
    if (!expected) throw fail(`unexpected Content-Type ${type}`);
    if (!isDeepStrictEqual(JSON.parse(body), JSON.parse(expected.body))) throw fail('a body different from the service\'s');
  }
  return { headers, bodyBytes: Buffer.byteLength(body) };
}
