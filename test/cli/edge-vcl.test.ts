import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FULL, PARTNER_V3, SUMMARY } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { DEFAULT_VCL, edgeOffersFromRegistry, renderOffersBlock, withOffersBlock } from '../../src/cli/edge-vcl';
import type { EdgeOffers } from '../../src/cli/edge-vcl';
import { prng } from '../../src/domain/seed';
import { defaultRepresentation } from '../../src/http/answer/negotiation/default-representation';
import { negotiate } from '../../src/http/answer/negotiation/negotiate';
import { closeConnections, send } from '../varnish/helpers/http';
import { backendHealth, ROOT, startVarnish, stop, waitFor } from '../varnish/helpers/processes';
import type { Varnish } from '../varnish/helpers/processes';
import { writeVcl } from '../varnish/helpers/vcl';
import { describeWithVarnish } from '../varnish/helpers/with-varnish';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'edge-vcl.js');
const SHIPPED = path.join(ROOT, DEFAULT_VCL);
const V4 = 'application/vnd.example.partner.v4+json';
const TV = 'application/vnd.example.tv+json';

/** A registry with two more representations of the card and a platform of its own: what adding them would generate. */
const FIXTURE: EdgeOffers = {
  offers: [FULL, SUMMARY, PARTNER_V3, V4, TV],
  fallback: FULL,
  platforms: new Map([['ios', SUMMARY], ['android', SUMMARY], ['web', FULL], ['tv', TV], ['smart.watch', SUMMARY]]),
};

/** What negotiate() chooses for an anonymous request under FIXTURE (defaultRepresentation's rule on FIXTURE's map). */
function fixtureChoice(accept: string | undefined, platform: string | undefined): string {
  const fallback = FIXTURE.platforms.get(platform?.trim().toLowerCase() ?? '') ?? FIXTURE.fallback;
  const outcome = negotiate(accept, FIXTURE.offers as readonly VendorType[], fallback as VendorType);
  return outcome.ok ? outcome.type : 'application/x-facet-unacceptable';
}

describe('src/cli/edge-vcl.ts', () => {
  it('wrote the committed deploy/varnish/default.vcl: its facet-offers block is what the registry generates', () => {
    const committed = fs.readFileSync(SHIPPED, 'utf8');
    const generated = withOffersBlock(committed, renderOffersBlock(edgeOffersFromRegistry()));
    expect(generated === committed ? 'up to date' : 'differs: run `npm run build && node dist/src/cli/edge-vcl.js`').toBe('up to date');
  });

  it('reads the registry: the card\'s offers in registry order, and what defaultRepresentation() makes of each platform', () => {
    const edge = edgeOffersFromRegistry();
    expect(edge.offers).toEqual([FULL, SUMMARY, PARTNER_V3]);
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
  });
});

describeWithVarnish('src/cli/edge-vcl.ts with a representation added to the registry', (varnishd) => {
  let dir = '';
  let backend: http.Server | undefined;
  let varnish: Varnish | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-edge-vcl-fixture-'));
    // A backend that answers everything 200 and uncacheable: the VCL's choice is in X-Facet-Variant.
    backend = http.createServer((_req, res) => res.writeHead(200, { 'Cache-Control': 'no-store' }).end('ok'));
    await new Promise<void>((resolve) => backend!.listen(0, '127.0.0.1', resolve));
    const port = (backend.address() as AddressInfo).port;
    const vcl = writeVcl(dir, [port], { normalise: true });
    fs.writeFileSync(vcl, withOffersBlock(fs.readFileSync(vcl, 'utf8'), renderOffersBlock(FIXTURE)));
    // Compiles first, so that a generator bug shows as varnishd's own message.
    execFileSync(varnishd, ['-C', '-j', 'none', '-n', path.join(dir, 'compile'), '-f', vcl], { stdio: 'pipe' });
    varnish = await startVarnish(varnishd, vcl, path.join(dir, 'varnish'));
    const started = varnish;
    await waitFor('the backend probed healthy', async () => (await backendHealth(started.workDir))[`facet_${port}`] === 'healthy', 15_000);
  }, 60_000);

  afterAll(async () => {
    closeConnections();
    await stop(varnish);
    await new Promise((resolve) => backend?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('normalises Accept to what negotiate() chooses among five offers with a platform of its own, for 300 generated requests', async () => {
    const random = prng(20);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const types = [...FIXTURE.offers, V4.toUpperCase(), '*/*', 'application/*', 'application/json', 'application/*+json', 'text/html', 'image/webp'];
    const weights = ['', '', ';q=0', ';q=0.5', ';q=0.9', ';q=0.1', ';q=1', ';charset=utf-8;q=0.4', ';level=1'];
    const platforms = [undefined, 'ios', 'android', 'web', 'tv', 'TV', ' smart.watch ', 'smartXwatch', 'desktop'];
    const mismatches: string[] = [];
    const chosen = new Set<string>();
    for (let n = 0; n < 300; n += 1) {
      const accept = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(types) + pick(weights)).join(', ');
      const platform = pick(platforms);
      const expected = fixtureChoice(accept, platform);
      const res = await send(varnish!.port, '/api/links/fixture', { Accept: accept, 'X-Client-Platform': platform });
      chosen.add(expected);
      if (res.status !== 200 || res.headers['x-facet-variant'] !== expected) {
        mismatches.push(`${JSON.stringify([accept, platform])}: negotiate ${expected}, VCL ${String(res.headers['x-facet-variant'])}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect([...chosen].sort()).toEqual([...FIXTURE.offers, 'application/x-facet-unacceptable'].sort());
    // The new platform's default, by generic ranges alone; the platform with a dot in its name is no pattern.
    for (const [platform, type] of [['tv', TV], ['smart.watch', SUMMARY], ['smartXwatch', FULL]] as const) {
      const res = await send(varnish!.port, '/api/links/fixture', { Accept: 'application/json', 'X-Client-Platform': platform });
      expect([platform, res.headers['x-facet-variant']]).toEqual([platform, type]);
    }
  }, 60_000);
});
