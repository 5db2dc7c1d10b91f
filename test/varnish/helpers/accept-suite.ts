import type { VendorType } from '../../../representations/media-types';
import { SHORT_NAME } from '../../../representations/media-types';
import { generatedCases, HAND_WRITTEN, OFFERS, serviceChoice, spellingsOf, UNACCEPTABLE } from './accept-corpus';
import type { AcceptCase } from './accept-corpus';
import type { Edge } from './edge';
import { expectProblemStatus, expectRepresentation, expectView } from './expect';
import { send } from './http';
import type { Headers } from './http';
import { objectsStored } from './processes';
import type { Varnish } from './processes';
import { viewDefault } from './view-corpus';

/**
 * The VCL's Accept normalisation against the service's own negotiation: the same choice for a
 * corpus of Accept and X-Client-Platform values (rules 1-7), the same answer through the edge as
 * from the service directly, and a high hit ratio across spellings.
 */
export function describeAcceptNormalisation(edge: () => Edge): void {
  const anonymous = (c: AcceptCase): Headers => ({ Accept: c.accept, 'X-Client-Platform': c.platform });
  const corpus = [...HAND_WRITTEN, ...generatedCases(120)];

  it('chooses in VCL what negotiate() chooses, the HTML view included, for every case of a corpus of Accept and X-Client-Platform values', async () => {
    const mismatches: string[] = [];
    let normalised = 0;
    for (const c of corpus) {
      const expected = serviceChoice(c);
      const res = await send(edge().cached.port, '/api/links/rfc9110', anonymous(c));
      const variant = res.headers['x-facet-variant'];
      if (variant !== (c.beyondVcl ? 'pass' : expected)) mismatches.push(`${JSON.stringify(c)}: service chooses ${expected}; VCL chose ${variant}`);
      if (variant !== 'pass') normalised += 1;
    }
    expect(mismatches).toEqual([]);
    expect(normalised).toBeGreaterThanOrEqual(60);
    expect(normalised).toBe(corpus.filter((c) => !c.beyondVcl).length);
    expect(corpus.filter((c) => viewDefault(serviceChoice(c)) !== undefined).length).toBeGreaterThanOrEqual(40);
  }, 60_000);

  // What the service answers the raw request is the reference: the edge must answer the same.
  const servesAsTheService = (which: 'JSON' | 'HTML view') => async () => {
    const cases = corpus.filter((c) => (viewDefault(serviceChoice(c)) === undefined) === (which === 'JSON'));
    const mismatches: string[] = [];
    for (const c of cases) {
      const expected = serviceChoice(c);
      const url = '/api/links/rfc9110';
      const [through, direct] = [await send(edge().cached.port, url, anonymous(c)), await send(edge().instances[0]!.port, url, anonymous(c))];
      const seen = (r: typeof through) => `${r.status} ${r.headers['content-type']} ${r.headers.etag}`;
      if (seen(through) !== seen(direct)) {
        mismatches.push(`${JSON.stringify(c)}: the service answers ${seen(direct)}; the edge ${seen(through)}`);
        continue;
      }
      const shown = viewDefault(expected);
      if (shown !== undefined) expectView(through, shown, 'link');
      else if (expected === UNACCEPTABLE) expectProblemStatus(through, 406);
      else expectRepresentation(through, expected as VendorType, 'link');
    }
    expect(mismatches).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  };
  it('answers every JSON case of the corpus as the service answers that request itself: status, Content-Type and ETag', servesAsTheService('JSON'), 60_000);
  it('answers every HTML-view case of the corpus as the service answers that request itself: status, Content-Type and ETag', servesAsTheService('HTML view'), 60_000);

  it('answers at least 90% of 30+ spellings per representation from the cache, and prints what it is without normalisation', async () => {
    const withNormalisation = await measureHits(edge().cached, '/api/links/rfc9111');
    const without = await measureHits(edge().plain, '/api/links/rfc9111');
    const line = (name: string, m: HitMeasure) =>
      `  ${name}: ${m.hits}/${m.eligible} hits after the first request per representation (${(100 * m.ratio).toFixed(1)}%), ` +
      `${m.objects} objects stored (MAIN.exp_mailed), ${m.perType}\n`;
    process.stdout.write(`\nVarnish hit ratio over ${withNormalisation.requests} requests of one public URL:\n` +
      line('with Accept normalisation   ', withNormalisation) + line('without (Vary on raw headers)', without));
    expect(withNormalisation.ratio).toBeGreaterThanOrEqual(0.9);
    expect(withNormalisation.objects).toBe(OFFERS.length);
    expect(without.ratio).toBeLessThan(withNormalisation.ratio);
  }, 60_000);
}

interface HitMeasure {
  requests: number;
  hits: number;
  eligible: number;
  ratio: number;
  objects: number;
  perType: string;
}

/**
 * Requests `url` once with every spelling of each representation, in order, and counts hits
 * after the first request of each representation; `objects` is how many it stored.
 */
async function measureHits(v: Varnish, url: string): Promise<HitMeasure> {
  const before = await objectsStored(v.workDir);
  let requests = 0;
  let hits = 0;
  const perType: string[] = [];
  for (const type of OFFERS) {
    const spellings = spellingsOf(type);
    expect(spellings.length).toBeGreaterThanOrEqual(30);
    expect(new Set(spellings.map((c) => JSON.stringify(c))).size).toBe(spellings.length);
    let typeHits = 0;
    for (const c of spellings) {
      expect(serviceChoice(c)).toBe(type);
      const res = await send(v.port, url, { Accept: c.accept, 'X-Client-Platform': c.platform });
      expectRepresentation(res, type, 'link');
      if (res.headers['x-cache'] === 'HIT') typeHits += 1;
    }
    requests += spellings.length;
    hits += typeHits;
    perType.push(`${SHORT_NAME[type]} ${typeHits}/${spellings.length - 1}`);
  }
  const objects = (await objectsStored(v.workDir)) - before;
  const eligible = requests - OFFERS.length;
  return { requests, hits, eligible, ratio: hits / eligible, objects, perType: perType.join(', ') };
}
