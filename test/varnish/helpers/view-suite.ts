import { PARTNER_V3, PARTNER_V4 } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { HTML } from '../../../src/http/answer/negotiation/negotiate-request';
import { EDGE, OFFERS, spellingsOf, UNACCEPTABLE } from './accept-corpus';
import type { Edge } from './edge';
import { expectProblemStatus, expectRepresentation, expectView } from './expect';
import { send } from './http';
import type { Headers, Reply } from './http';
import { backendRequests, objectsStored } from './processes';
import { BROWSERS, platformFor, RULE_7_EXAMPLES, VIEW_CONTENT_TYPE, viewOf } from './view-corpus';

const F = EDGE.fallback;
/** Each default generic ranges can stand for, with the X-Client-Platform spellings that ask for it. */
const DEFAULTS: Array<[VendorType, Array<string | undefined>]> = [...new Set([F, ...EDGE.platforms.values()])].map((type) => {
  const own = [...EDGE.platforms].filter(([, t]) => t === type).map(([p]) => p);
  return [type, type === F ? [undefined, 'desktop', ...own.map((p) => ` ${p.toUpperCase()} `)] : [...own, ...own.map((p) => p.toUpperCase())]];
});
const S = DEFAULTS.find(([type]) => type !== F)?.[0] ?? F;
const S_PLATFORM = platformFor(EDGE, S);
/** The X-Varnish id of the fetch that stored the object a hit was answered from. */
const storedBy = (res: Reply) => String(res.headers['x-varnish']).split(' ')[1];

/**
 * Rule 7 at the edge: every browser's Accept becomes one request to the service and one object
 * per default, the HTML view and the JSON representations never answer for each other, and
 * partner.v4 is an object of its own.
 */
export function describeHtmlView(edge: () => Edge): void {
  const via = (url: string, headers: Headers = {}, method = 'GET') => send(edge().cached.port, url, headers, method);

  it('sends the service one Accept for every browser spelling, then answers them all from one HTML object per default', async () => {
    const url = '/api/links/demo30';
    const before = await objectsStored(edge().cached.workDir);
    const etags = new Set<string>();
    for (const [type, platforms] of DEFAULTS) {
      const answers: Reply[] = [];
      for (const platform of platforms) {
        for (const accept of Object.values(BROWSERS)) {
          const res = await via(url, { Accept: accept, 'X-Client-Platform': platform });
          expect([accept, platform, res.headers['x-facet-variant']]).toEqual([accept, platform, viewOf(type)]);
          expectView(res, type, 'link');
          answers.push(res);
        }
      }
      expect(answers.map((r) => r.headers['x-cache'])).toEqual(answers.map((_r, n) => (n === 0 ? 'MISS' : 'HIT')));
      expect(new Set(answers.slice(1).map(storedBy)).size).toBe(1);
      expect(new Set(answers.map((r) => r.headers.etag)).size).toBe(1);
      etags.add(answers[0]!.headers.etag!);
    }
    expect(etags.size).toBe(DEFAULTS.length);
    expect((await objectsStored(edge().cached.workDir)) - before).toBe(DEFAULTS.length);
    // What the service was asked: once per default, with the one spelling of it.
    const asked = (await backendRequests(edge().cached.workDir, url)).map((h) => [h.accept, h['x-client-platform']]);
    expect(asked).toEqual(DEFAULTS.map(([type]) => [HTML, platformFor(EDGE, type)]));
  }, 60_000);

  it('never answers a JSON request with an HTML object nor the reverse, nor one default\'s view for another\'s', async () => {
    const url = '/api/links/demo31';
    const chrome = BROWSERS.Chrome;
    const asks: Array<[Headers, 'view' | VendorType, VendorType]> = [
      [{ Accept: chrome }, 'view', F], [{ Accept: '*/*' }, F, F], [{ Accept: chrome, 'X-Client-Platform': S_PLATFORM }, 'view', S],
      [{ Accept: 'application/json', 'X-Client-Platform': S_PLATFORM }, S, S], [{ Accept: `text/html;q=0.5, ${S}` }, S, F],
      [{ Accept: 'application/json, text/html' }, F, F], [{ Accept: 'text/*', 'X-Client-Platform': S_PLATFORM?.toUpperCase() }, 'view', S],
      [{ Accept: PARTNER_V3 }, PARTNER_V3, F], [{}, F, F], [{ Accept: 'text/html, application/*' }, 'view', F],
    ];
    const tags = new Map<string, string>();
    for (const round of [1, 2]) {
      for (const [headers, answer, shown] of round === 1 ? asks : [...asks].reverse()) {
        const res = await via(url, headers);
        const what = `${JSON.stringify(headers)} round ${round}`;
        if (answer === 'view') expectView(res, shown, 'link');
        else expectRepresentation(res, answer, 'link');
        const key = answer === 'view' ? viewOf(shown) : answer;
        expect([what, res.headers['x-facet-variant'], tags.get(key) ?? res.headers.etag]).toEqual([what, key, res.headers.etag]);
        tags.set(key, res.headers.etag!);
        if (round === 2) expect([what, res.headers['x-cache']]).toEqual([what, 'HIT']);
      }
    }
    expect(new Set(tags.values()).size).toBe(tags.size);
    // A 304 only for the object's own tag; HEAD of the view is the view's headers from the cache.
    const [viewTag, fullTag] = [tags.get(viewOf(F))!, tags.get(F)!];
    expectRepresentation(await via(url, { Accept: '*/*', 'If-None-Match': viewTag }), F, 'link');
    expectView(await via(url, { Accept: chrome, 'If-None-Match': fullTag }), F, 'link');
    expectView(await via(url, { Accept: chrome, 'If-None-Match': tags.get(viewOf(S)) }), F, 'link');
    const revalidated = await via(url, { Accept: BROWSERS.Firefox, 'If-None-Match': viewTag });
    expect([revalidated.status, revalidated.body, revalidated.headers.etag]).toEqual([304, '', viewTag]);
    const head = await via(url, { Accept: BROWSERS.Safari }, 'HEAD');
    expect([head.status, head.headers['content-type'], head.headers.etag, head.headers['x-cache'], head.body]).toEqual([200, expect.stringMatching(/^text\/html/), viewTag, 'HIT', '']);
    expect(String(head.headers['cache-control'])).toMatch(/^public, max-age=\d+$/);
    expect(String(head.headers.vary)).toMatch(/^Accept, X-Client-Platform, Authorization\b/);
  });

  it('answers rule 7\'s examples as the brief and docs/negotiation.md give them (no X-Client-Platform)', async () => {
    const wrong: string[] = [];
    for (const [accept, expected] of RULE_7_EXAMPLES) {
      const variant = expected === 'view' ? viewOf(F) : expected;
      const res = await via('/api/links/demo32', { Accept: accept });
      const served = res.status === 406 ? UNACCEPTABLE : res.headers['content-type'];
      const wanted = expected === 'view' ? VIEW_CONTENT_TYPE : expected;
      if (res.headers['x-facet-variant'] !== variant || served !== wanted) {
        wrong.push(`${JSON.stringify(accept)}: want ${variant}; the VCL chose ${res.headers['x-facet-variant']}, served ${res.status} ${served}`);
        continue;
      }
      if (expected === 'view') expectView(res, F, 'link');
      else if (expected === UNACCEPTABLE) expectProblemStatus(res, 406);
      else expectRepresentation(res, expected, 'link');
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('keeps partner.v4 an object of its own, apart from partner.v3, the other representations and the views', async () => {
    expect(OFFERS).toContain(PARTNER_V4);
    const url = '/api/links/demo33';
    const before = await objectsStored(edge().cached.workDir);
    const answers: Reply[] = [];
    for (const c of spellingsOf(PARTNER_V4)) {
      const res = await via(url, { Accept: c.accept, 'X-Client-Platform': c.platform });
      expect([c, res.headers['x-facet-variant']]).toEqual([c, PARTNER_V4]);
      expectRepresentation(res, PARTNER_V4, 'link');
      answers.push(res);
    }
    expect(answers.map((r) => r.headers['x-cache'])).toEqual(answers.map((_r, n) => (n === 0 ? 'MISS' : 'HIT')));
    expect((await objectsStored(edge().cached.workDir)) - before).toBe(1);
    const v3 = await via(url, { Accept: PARTNER_V3 });
    expectRepresentation(v3, PARTNER_V3, 'link');
    expect([v3.headers['x-cache'], v3.headers.etag === answers[0]!.headers.etag]).toEqual(['MISS', false]);
    expectView(await via(url, { Accept: `text/html, ${PARTNER_V4};q=0.9` }), F, 'link');
    expectRepresentation(await via(url, { Accept: `text/html;q=0.9, ${PARTNER_V4}` }), PARTNER_V4, 'link');
  });
}
