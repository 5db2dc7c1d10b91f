import { FULL, SUMMARY } from '../../../representations/media-types';
import { DEMO_KEYS } from '../../../src/domain/seed';
import { CORS_EXPOSED_HEADERS } from '../../../src/http/guards/cors';
import type { Coding } from '../../../src/http/answer/encoding/accept-encoding';
import { APP_ORIGIN } from './edge';
import type { Edge } from './edge';
import { decode, ENCODING_SPELLINGS, generatedEncodings, serviceCoding } from './encoding-corpus';
import type { AcceptEncoding } from './encoding-corpus';
import { expectBody, expectRepresentation } from './expect';
import { send } from './http';
import type { Headers, Reply } from './http';
import { counter, objectsStored, waitFor } from './processes';
import type { Varnish } from './processes';

const USER = `Bearer ${DEMO_KEYS.user}`;
const SUFFIX: Record<Coding, string> = { identity: '', gzip: '-gz', br: '-br' };

/** The reply with its body decoded by Content-Encoding, so that the schema helpers read JSON. */
function decoded(res: Reply): Reply {
  const bytes = decode(res.bytes, res.headers['content-encoding']);
  return { ...res, bytes, body: bytes.toString() };
}

/** `"tag"` → `"tag-gz"` / `"tag-br"` (src/http/answer/etag.ts encodedTag). */
const etagOf = (identity: string, coding: Coding) => `${identity.slice(0, -1)}${SUFFIX[coding]}"`;

/**
 * What the shipped VCL promises for issue 14 whatever stands behind it: Accept-Encoding reduced
 * to br, gzip or nothing as chooseEncoding() decides (one object and one ETag per coding, 304 per
 * coding), and Origin kept only for CORS_ORIGINS (a grant never reaches another origin), with
 * preflights passed to the service.
 */
export function describeEncodingAndCors(edge: () => Edge): void {
  const via = (v: Varnish, url: string, headers: Headers = {}, method = 'GET') => send(v.port, url, headers, method);
  const direct = (url: string, headers: Headers = {}) => send(edge().instances[0]!.port, url, headers);

  it('serves each Accept-Encoding spelling the object of the coding chooseEncoding picks: one object and one ETag per coding', async () => {
    const url = '/api/links/demo10';
    const lines: string[] = [];
    for (const type of [FULL, SUMMARY] as const) {
      const identity = await direct(url, { Accept: type });
      const json = expectRepresentation(identity, type, 'link');
      // The full card is over COMPRESS_MIN_BYTES, the summary card under it (edge.ts).
      const compressible = (await direct(url, { Accept: type, 'Accept-Encoding': 'gzip' })).headers['content-encoding'] === 'gzip';
      expect(compressible).toBe(type === FULL);
      for (const v of ['cached', 'plain'] as const) {
        const varnish = edge()[v];
        const before = await objectsStored(varnish.workDir);
        const seen = new Set<Coding>();
        const wrong: string[] = [];
        let hits = 0;
        for (const ae of ENCODING_SPELLINGS) {
          const res = await via(varnish, url, { Accept: type, 'Accept-Encoding': ae });
          const coding = serviceCoding(ae);
          const served = compressible ? coding : 'identity';
          const what = `${type} Accept-Encoding ${JSON.stringify(ae)} through ${v}`;
          if ((res.headers['content-encoding'] ?? 'identity') !== served || res.headers.etag !== etagOf(identity.headers.etag!, served)) {
            wrong.push(`${JSON.stringify(ae)} got ${res.headers['content-encoding'] ?? 'identity'} ${res.headers.etag}`);
          }
          expect(expectRepresentation(decoded(res), type, 'link')).toEqual(json);
          expect(res.headers.vary).toBe('Accept, X-Client-Platform, Authorization, Accept-Encoding, Origin');
          if (v === 'cached') {
            expect([what, res.headers['x-facet-coding']]).toEqual([what, coding]);
            expect([what, res.headers['x-cache']]).toEqual([what, seen.has(coding) ? 'HIT' : 'MISS']);
          }
          if (res.headers['x-cache'] === 'HIT') hits += 1;
          seen.add(coding);
        }
        expect(seen.size).toBe(3);
        // Clients that send no coding never get a compressed body, even with br and gzip stored;
        // through the shipped VCL they get the identity object with the identity ETag.
        for (const ae of [undefined, '', 'identity', 'gzip;q=0, br;q=0']) {
          const res = await via(varnish, url, { Accept: type, 'Accept-Encoding': ae });
          expect(res.headers['content-encoding']).toBeUndefined();
          expect(expectRepresentation(res, type, 'link')).toEqual(json);
          if (v === 'cached') expect([res.headers.etag, res.headers['x-cache']]).toEqual([identity.headers.etag, 'HIT']);
          else if (res.headers.etag !== identity.headers.etag) wrong.push(`${JSON.stringify(ae)} got identity ${res.headers.etag}`);
        }
        const objects = (await objectsStored(varnish.workDir)) - before;
        if (v === 'cached') expect([objects, wrong]).toEqual([3, []]);
        // Without the normalisation blocks Varnish's own gzip handling (http_gzip_support=on, the
        // default) asks for gzip, ignores Vary: Accept-Encoding and gunzips with a weakened ETag:
        // no client gets br, and a client without gzip gets W/"…-gz".
        lines.push(`  ${type} through ${v === 'cached' ? 'the shipped VCL   ' : 'a plain Vary cache'}: ${hits}/${ENCODING_SPELLINGS.length} hits, ` +
          `${objects} objects stored, ${wrong.length} answers in another coding or ETag than the service's${wrong.length ? ` (${wrong.join('; ')})` : ''}`);
      }
    }
    process.stdout.write(`\nVarnish over ${ENCODING_SPELLINGS.length} Accept-Encoding spellings of one card:\n${lines.join('\n')}\n`);
  }, 60_000);

  it('chooses in VCL the coding chooseEncoding picks for 200 generated Accept-Encoding headers, storing at most 3 objects', async () => {
    const url = '/api/links/demo11';
    const varnish = edge().cached;
    const before = await objectsStored(varnish.workDir);
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const ae of generatedEncodings(200)) {
      const res = await via(varnish, url, { Accept: FULL, 'Accept-Encoding': ae });
      const coding = serviceCoding(ae);
      seen.add(coding);
      if (res.headers['x-facet-coding'] !== coding || (res.headers['content-encoding'] ?? 'identity') !== coding) {
        mismatches.push(`${JSON.stringify(ae)}: chooseEncoding ${coding}, VCL ${String(res.headers['x-facet-coding'])}, served ${String(res.headers['content-encoding'])}`);
      }
      expectRepresentation(decoded(res), FULL, 'link');
    }
    expect(mismatches).toEqual([]);
    expect([...seen].sort()).toEqual(['br', 'gzip', 'identity']);
    expect((await objectsStored(varnish.workDir)) - before).toBe(3);
  }, 60_000);

  it('answers identity to an Accept-Encoding with bytes beyond ASCII, which the VCL does not try to read', async () => {
    // The service trims a latin-1 no-break space as JavaScript's trim() does and picks gzip; identity is always acceptable.
    const header = 'gzip\u00a0';
    expect(serviceCoding(header)).toBe('gzip');
    const res = await via(edge().cached, '/api/links/demo11', { Accept: FULL, 'Accept-Encoding': header });
    expect([res.headers['x-facet-coding'], res.headers['content-encoding']]).toEqual(['identity', undefined]);
    expectRepresentation(res, FULL, 'link');
  });

  it('revalidates each coding with its own ETag: 304 from the cache and through a pass, 200 for another coding\'s ETag', async () => {
    const url = '/api/links/demo12';
    const varnish = edge().cached;
    const spelled: Record<Coding, AcceptEncoding[]> = {
      identity: [undefined, 'identity', '*;q=0, identity'],
      gzip: ['gzip', 'GZIP, deflate', 'br;q=0, gzip'],
      br: ['br', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8'],
    };
    const codings = Object.keys(spelled) as Coding[];
    const tags = new Map<Coding, string>();
    for (const coding of codings) {
      const res = await via(varnish, url, { Accept: FULL, 'Accept-Encoding': spelled[coding][0] });
      expectRepresentation(decoded(res), FULL, 'link');
      tags.set(coding, res.headers.etag!);
    }
    expect(new Set(tags.values()).size).toBe(3);
    for (const coding of codings) {
      for (const ae of spelled[coding]) {
        const revalidated = await via(varnish, url, { Accept: FULL, 'Accept-Encoding': ae, 'If-None-Match': tags.get(coding) });
        expect([revalidated.status, revalidated.headers.etag, revalidated.headers['x-cache']]).toEqual([304, tags.get(coding), 'HIT']);
        expectBody(revalidated, 'link');
        for (const other of codings.filter((c) => c !== coding)) {
          const res = await via(varnish, url, { Accept: FULL, 'Accept-Encoding': ae, 'If-None-Match': tags.get(other) });
          expect([res.status, res.headers.etag, res.headers['content-encoding'] ?? 'identity']).toEqual([200, tags.get(coding), coding]);
          expectRepresentation(decoded(res), FULL, 'link');
        }
      }
    }

    // A private page is passed: the service itself answers 304 for that coding's ETag only.
    const page = '/api/links?limit=50';
    const passed = new Map<Coding, string>();
    for (const coding of codings) {
      const res = await via(varnish, page, { Authorization: USER, Accept: FULL, 'Accept-Encoding': spelled[coding][1] });
      expect([res.headers['content-encoding'] ?? 'identity', res.headers['x-cache']]).toEqual([coding, 'MISS']);
      expectRepresentation(decoded(res), FULL, 'link-page');
      passed.set(coding, res.headers.etag!);
    }
    expect(new Set(passed.values()).size).toBe(3);
    for (const coding of codings) {
      const revalidated = await via(varnish, page, { Authorization: USER, Accept: FULL, 'Accept-Encoding': spelled[coding][2], 'If-None-Match': passed.get(coding) });
      expect([revalidated.status, revalidated.headers.etag, revalidated.body]).toEqual([304, passed.get(coding), '']);
      const other = codings.find((c) => c !== coding)!;
      const full = await via(varnish, page, { Authorization: USER, Accept: FULL, 'Accept-Encoding': spelled[coding][2], 'If-None-Match': passed.get(other) });
      expect([full.status, full.headers.etag]).toEqual([200, passed.get(coding)]);
      expectRepresentation(decoded(full), FULL, 'link-page');
    }
  }, 60_000);

  it('never serves a grant cached for the allowed origin to another origin or to a request without Origin', async () => {
    const url = '/api/links/demo13';
    const origins: Array<string | string[] | undefined> = [
      APP_ORIGIN, undefined, 'https://evil.example', 'https://APP.example', [APP_ORIGIN, 'https://evil.example'],
      'null', 'https://app.example:443', 'https://app.example.evil', `${APP_ORIGIN}/`, '',
    ];
    const encodings: AcceptEncoding[] = ['gzip, deflate, br', undefined, 'gzip', 'identity', 'br'];
    const lines: string[] = [];
    for (const v of ['cached', 'plain'] as const) {
      const varnish = edge()[v];
      const before = await objectsStored(varnish.workDir);
      let hits = 0;
      let requests = 0;
      const bled: string[] = [];
      let recoded = 0;
      for (const round of [1, 2]) {
        for (const origin of round === 1 ? origins : [...origins].reverse()) {
          for (const ae of encodings) {
            const res = await via(varnish, url, { Accept: FULL, 'Accept-Encoding': ae, Origin: origin });
            const what = `Origin ${JSON.stringify(origin)}, Accept-Encoding ${JSON.stringify(ae)} through ${v}`;
            expectRepresentation(decoded(res), FULL, 'link');
            const coding = res.headers['content-encoding'] ?? 'identity';
            const granted = origin === APP_ORIGIN;
            const grant = [res.headers['access-control-allow-origin'], res.headers['access-control-expose-headers']];
            if (v === 'cached') {
              expect([what, coding]).toEqual([what, serviceCoding(ae)]);
              expect([what, ...grant]).toEqual([what, granted ? APP_ORIGIN : undefined, granted ? CORS_EXPOSED_HEADERS : undefined]);
            } else {
              if (grant[0] !== (granted ? APP_ORIGIN : undefined)) bled.push(`${JSON.stringify(origin)} got ${String(grant[0])}`);
              if (coding !== serviceCoding(ae)) recoded += 1;
            }
            requests += 1;
            if (res.headers['x-cache'] === 'HIT') hits += 1;
          }
        }
      }
      const objects = (await objectsStored(varnish.workDir)) - before;
      // With the VCL: (1 allowed origin + 1) x 3 codings.
      if (v === 'cached') expect(objects).toBe(6);
      // A plain cache keys on the first Origin line only: two lines, the allowed one first, get its grant.
      lines.push(`  through ${v === 'cached' ? 'the shipped VCL   ' : 'a plain Vary cache'}: ${hits}/${requests} hits, ${objects} objects stored, ` +
        `${bled.length} grants differing from the service's${bled.length ? ` (${[...new Set(bled)].join('; ')})` : ''}, ${recoded} in another coding`);
    }
    process.stdout.write(`\nVarnish over ${origins.length} Origin values x ${encodings.length} Accept-Encoding values, twice, of one card:\n${lines.join('\n')}\n`);
  }, 60_000);

  it('passes a preflight to the service every time: 204 with the grant for the allowed origin, without it for another', async () => {
    const url = '/api/links/demo13';
    const varnish = edge().cached;
    const passes = await counter(varnish.workDir, 'MAIN.s_pass');
    const preflight = (origin: string) => via(varnish, url, {
      Origin: origin, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization, if-match',
    }, 'OPTIONS');
    for (let n = 0; n < 2; n += 1) {
      const granted = await preflight(APP_ORIGIN);
      expect([granted.status, granted.headers['x-cache'], granted.headers['access-control-allow-origin']]).toEqual([204, 'MISS', APP_ORIGIN]);
      expect(granted.headers['access-control-allow-methods']).toContain('PATCH');
      expect(String(granted.headers['access-control-allow-headers']).toLowerCase()).toContain('if-match');
      expect(Number(granted.headers['access-control-max-age'])).toBeGreaterThanOrEqual(600);
      expectBody(granted, 'link', 'OPTIONS');
      const refused = await preflight('https://evil.example');
      expect([refused.status, refused.headers['x-cache'], refused.headers['access-control-allow-origin']]).toEqual([204, 'MISS', undefined]);
      expectBody(refused, 'link', 'OPTIONS');
    }
    // Worker threads add their counters to the totals in batches: wait (bounded) until they show.
    await waitFor('varnishstat counts the preflights as passes', async () => (await counter(varnish.workDir, 'MAIN.s_pass')) - passes >= 4, 5_000);
    expect((await counter(varnish.workDir, 'MAIN.s_pass')) - passes).toBe(4);

    // A private request is passed too, and its grant comes from the service.
    for (const origin of [APP_ORIGIN, 'https://evil.example']) {
      const me = await via(varnish, '/api/me', { Authorization: USER, Accept: FULL, Origin: origin, 'Accept-Encoding': 'br' });
      expect(me.status).toBe(200);
      expectBody(decoded(me), 'me');
      expect(me.headers['access-control-allow-origin']).toBe(origin === APP_ORIGIN ? APP_ORIGIN : undefined);
    }
  });
}
