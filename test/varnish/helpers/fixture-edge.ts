import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { renderOffersBlock, withOffersBlock } from '../../../src/cli/edge-vcl';
import type { EdgeOffers } from '../../../src/cli/edge-vcl';
import { closeConnections } from './http';
import { backendHealth, startVarnish, stop, waitFor } from './processes';
import type { Varnish } from './processes';
import { writeVcl } from './vcl';
import { anonymousChoice, UNACCEPTABLE, VIEW_CONTENT_TYPE, viewDefault } from './view-corpus';

/** One request the stub service was sent. */
export interface Asked {
  url: string;
  accept: string | undefined;
  platform: string | undefined;
}

/** The shipped VCL with the block `edge` generates, in front of a stub service that negotiates as the service does for `edge`'s offers. */
export interface FixtureEdge {
  port: number;
  /** What the stub was sent, in order. */
  asked: Asked[];
  stop(): Promise<void>;
}

/**
 * The stub answers the card as the service would for its offers (anonymousChoice: rules 1-7),
 * cacheable with the service's Vary, and echoes what it was sent in X-Seen-Accept and
 * X-Seen-Platform ("(none)" when absent): what an object holds is what the service was asked.
 */
function createStub(edge: EdgeOffers, asked: Asked[]): http.Server {
  return http.createServer((req, res) => {
    const accept = req.headers.accept;
    const platform = req.headers['x-client-platform'] as string | undefined;
    if (req.url !== '/readyz') asked.push({ url: req.url ?? '', accept, platform });
    const choice = anonymousChoice(edge, accept, platform);
    const shown = viewDefault(choice);
    res.setHeader('Vary', 'Accept, X-Client-Platform, Authorization');
    res.setHeader('X-Seen-Accept', accept ?? '(none)');
    res.setHeader('X-Seen-Platform', platform ?? '(none)');
    if (choice === UNACCEPTABLE) {
      res.writeHead(406, { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' }).end('{"status":406}');
    } else if (shown !== undefined) {
      res.writeHead(200, { 'Content-Type': VIEW_CONTENT_TYPE, 'Cache-Control': 'public, max-age=60' }).end(`<!doctype html><title>${shown}</title>`);
    } else {
      res.writeHead(200, { 'Content-Type': choice, 'Cache-Control': 'public, max-age=60' }).end(JSON.stringify({ type: choice }));
    }
  });
}

/** Starts the stub and varnishd with the shipped VCL whose facet-offers block is generated from `edge`; resolves once the stub probes healthy. */
export async function startFixtureEdge(varnishd: string, edge: EdgeOffers): Promise<FixtureEdge> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-edge-vcl-fixture-'));
  const asked: Asked[] = [];
  const stub = createStub(edge, asked);
  let varnish: Varnish | undefined;
  const stopAll = async () => {
    closeConnections();
    await stop(varnish);
    await new Promise((resolve) => stub.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    const port = (stub.address() as AddressInfo).port;
    const vcl = writeVcl(dir, [port], { normalise: true });
    fs.writeFileSync(vcl, withOffersBlock(fs.readFileSync(vcl, 'utf8'), renderOffersBlock(edge)));
    // Compiles first, so that a generator bug shows as varnishd's own message.
    execFileSync(varnishd, ['-C', '-j', 'none', '-n', path.join(dir, 'compile'), '-f', vcl], { stdio: 'pipe' });
    varnish = await startVarnish(varnishd, vcl, path.join(dir, 'varnish'));
    const started = varnish;
    await waitFor('the stub probed healthy', async () => (await backendHealth(started.workDir))[`facet_${port}`] === 'healthy', 15_000);
    return { port: started.port, asked, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
