import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import { DEFAULT_VCL, edgeOffersFromRegistry, renderOffersBlock, withOffersBlock } from '../../src/cli/edge-vcl';
import type { EdgeOffers } from '../../src/cli/edge-vcl';
import { prng } from '../../src/domain/seed';
import { defaultRepresentation } from '../../src/http/answer/negotiation/default-representation';
import { startFixtureEdge } from '../varnish/helpers/fixture-edge';
import type { FixtureEdge } from '../varnish/helpers/fixture-edge';
import { send } from '../varnish/helpers/http';
import { ROOT } from '../varnish/helpers/processes';
import { anonymousChoice, BROWSERS, normalisedRequest, RULE_7_EXAMPLES, VIEW_CONTENT_TYPE, viewOf } from '../varnish/helpers/view-corpus';
import { describeWithVarnish } from '../varnish/helpers/with-varnish';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'edge-vcl.js');
const SHIPPED = path.join(ROOT, DEFAULT_VCL);
const TV = 'application/vnd.example.tv+json';

/** A registry with two more representations of the card and a platform of its own: what adding them would generate. */
const FIXTURE: EdgeOffers = {
  offers: [FULL, SUMMARY, PARTNER_V3, PARTNER_V4, TV],
  fallback: FULL,
  platforms: new Map([['ios', SUMMARY], ['android', SUMMARY], ['web', FULL], ['tv', TV], ['smart.watch', SUMMARY]]),
};

/** What the service would choose for an anonymous request under FIXTURE: a vendor type, viewOf(default) or the 406 token. */
const fixtureChoice = (accept: string | undefined, platform: string | undefined) => anonymousChoice(FIXTURE, accept, platform);

describe('src/cli/edge-vcl.ts', () => {
  it('wrote the committed deploy/varnish/default.vcl: its facet-offers block is what the registry generates', () => {
    const committed = fs.readFileSync(SHIPPED, 'utf8');
    const generated = withOffersBlock(committed, renderOffersBlock(edgeOffersFromRegistry()));
    expect(generated === committed ? 'up to date' : 'differs: run `npm run build && node dist/src/cli/edge-vcl.js`').toBe('up to date');
  });

  it('reads the registry: the card\'s offers in registry order, and what defaultRepresentation() makes of each platform', () => {
    const edge = edgeOffersFromRegistry();
    expect(edge.offers).toEqual([FULL, SUMMARY, PARTNER_V3, PARTNER_V4]);
    expect(edge.fallback).toBe(defaultRepresentation({ keyKind: null, platform: undefined }));
    for (const [platform, type] of edge.platforms) expect([platform, type]).toEqual([platform, defaultRepresentation({ keyKind: null, platform })]);
    expect([...edge.platforms.values()]).toContain(SUMMARY);
  });

  it('checks and rewrites a VCL file from the command line, refusing one without its block', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-edge-vcl-'));
    try {
      const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
      expect(run('--check').status).toBe(0);
      const stale = path.join(dir, 'stale.vcl');
      const shipped = fs.readFileSync(SHIPPED, 'utf8');
      fs.writeFileSync(stale, shipped.replace('set req.http.X-Facet-K = "2";', 'set req.http.X-Facet-K = "1";'));
      const check = run('--check', stale);
      expect([check.status, check.stderr]).toEqual([1, expect.stringContaining('differs from the registry')]);
      expect(run(stale).status).toBe(0);
      expect(fs.readFileSync(stale, 'utf8')).toBe(shipped);
      const blockless = path.join(dir, 'blockless.vcl');
      fs.writeFileSync(blockless, 'vcl 4.1;\n');
      const refused = run(blockless);
      expect([refused.status === 0, refused.stderr]).toEqual([false, expect.stringContaining('needs exactly one "# BEGIN facet-offers"')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a media type or platform the VCL could not compare byte for byte', () => {
    expect(() => renderOffersBlock({ ...FIXTURE, offers: [...FIXTURE.offers, 'Application/X'] })).toThrow(/lower-case type\/subtype/);
    expect(() => renderOffersBlock({ ...FIXTURE, offers: [...FIXTURE.offers, 'application/x";'] })).toThrow(/lower-case type\/subtype/);
    expect(() => renderOffersBlock({ ...FIXTURE, platforms: new Map([['i|os', SUMMARY]]) })).toThrow(/platform token/);
    expect(() => renderOffersBlock({ ...FIXTURE, offers: [FULL, FULL] })).toThrow(/distinct offers/);
    for (const range of ['text/html', 'application/json']) expect(() => renderOffersBlock({ ...FIXTURE, offers: [FULL, range] })).toThrow(/generic range or the HTML view/);
  });

  it('gives rule 7 the outcomes of its examples: the service\'s negotiate() as the edge is tested against', () => {
    const outcomes = RULE_7_EXAMPLES.map(([accept]) => fixtureChoice(accept, undefined));
    expect(outcomes).toEqual(RULE_7_EXAMPLES.map(([, expected]) => (expected === 'view' ? viewOf(FULL) : expected)));
  });
});

describeWithVarnish('src/cli/edge-vcl.ts with representations and a platform added to the registry', (varnishd) => {
  let edge: FixtureEdge | undefined;
  const via = (url: string, accept: string | undefined, platform?: string) => send(edge!.port, url, { Accept: accept, 'X-Client-Platform': platform });

  beforeAll(async () => {
    edge = await startFixtureEdge(varnishd, FIXTURE);
  }, 60_000);

  afterAll(() => edge?.stop());

  it('normalises Accept to what negotiate() chooses, the HTML view included, for 400 generated requests, and asks the stub one spelling per outcome', async () => {
    const random = prng(20);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const types = [...FIXTURE.offers, PARTNER_V4.toUpperCase(), '*/*', 'application/*', 'application/json', 'application/*+json',
      'text/html', 'TEXT/HTML', 'text/*', 'text/plain', 'image/webp', 'application/xhtml+xml'];
    const weights = ['', '', ';q=0', ';q=0.5', ';q=0.9', ';q=0.1', ';q=1', ';charset=utf-8;q=0.4', ';level=1', ';q=0.8'];
    const platforms = [undefined, 'ios', 'android', 'web', 'tv', 'TV', ' smart.watch ', 'smartXwatch', 'desktop'];
    const mismatches: string[] = [];
    const chosen = new Set<string>();
    for (let n = 0; n < 400; n += 1) {
      const accept = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(types) + pick(weights)).join(', ');
      const platform = pick(platforms);
      const expected = fixtureChoice(accept, platform);
      const sent = normalisedRequest(FIXTURE, expected);
      const res = await via('/api/links/fixture', accept, platform);
      chosen.add(expected);
      const got = [res.headers['x-facet-variant'], res.headers['x-seen-accept'], res.headers['x-seen-platform']];
      if (JSON.stringify(got) !== JSON.stringify([expected, sent.accept, sent.platform ?? '(none)'])) {
        mismatches.push(`${JSON.stringify([accept, platform])}: negotiate ${expected}, so ${sent.accept} ${sent.platform ?? '(none)'}; VCL ${got.join(' ')}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect([...chosen].sort()).toEqual([...FIXTURE.offers, 'application/x-facet-unacceptable', ...[FULL, SUMMARY, TV].map(viewOf)].sort());
    // The new platform's default, by generic ranges alone; the platform with a dot in its name is no pattern.
    for (const [platform, type] of [['tv', TV], ['smart.watch', SUMMARY], ['smartXwatch', FULL]] as const) {
      const res = await via('/api/links/fixture', 'application/json', platform);
      expect([platform, res.headers['x-facet-variant']]).toEqual([platform, type]);
    }
  }, 60_000);

  it('gives rule 7\'s examples their outcomes in VCL', async () => {
    const got = [];
    for (const [accept] of RULE_7_EXAMPLES) got.push((await via('/api/links/fixture-examples', accept)).headers['x-facet-variant']);
    expect(got).toEqual(RULE_7_EXAMPLES.map(([, expected]) => (expected === 'view' ? viewOf(FULL) : expected)));
  });

  it('asks the stub once per default for every browser spelling and platform, as text/html with one platform per default', async () => {
    const url = '/api/links/browsers';
    const groups = [[FULL, [undefined, 'web', ' WEB', 'desktop']], [SUMMARY, ['ios', 'Android', 'smart.watch']], [TV, ['tv', 'TV ']]] as const;
    for (const [type, platforms] of groups) {
      const cache: string[] = [];
      for (const platform of platforms) {
        for (const accept of Object.values(BROWSERS)) {
          const res = await via(url, accept, platform);
          expect([accept, platform, res.headers['x-facet-variant'], res.headers['content-type']]).toEqual([accept, platform, viewOf(type), VIEW_CONTENT_TYPE]);
          expect(res.body).toBe(`<!doctype html><title>${type}</title>`);
          cache.push(String(res.headers['x-cache']));
        }
      }
      expect(cache).toEqual(cache.map((_c, n) => (n === 0 ? 'MISS' : 'HIT')));
    }
    const asked = edge!.asked.filter((a) => a.url === url).map((a) => [a.accept, a.platform]);
    expect(asked).toEqual([['text/html', undefined], ['text/html', 'ios'], ['text/html', 'tv']]);
    // JSON asks of the same URL are objects of their own: never the page.
    for (const [accept, platform, type] of [['*/*', undefined, FULL], ['application/json', 'tv', TV], [`text/html;q=0.5, ${SUMMARY}`, 'tv', SUMMARY]] as const) {
      const res = await via(url, accept, platform);
      expect([res.headers['x-cache'], res.headers['content-type'], res.body]).toEqual(['MISS', type, JSON.stringify({ type })]);
    }
  }, 60_000);
});
