import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FULL } from '../../representations/media-types';
import { describeCacheBehaviour } from './helpers/cache-suite';
import { APP_ORIGIN, startEdge } from './helpers/edge';
import { describeEncodingAndCors } from './helpers/encoding-cors-suite';
import type { Edge } from './helpers/edge';
import { decode } from './helpers/encoding-corpus';
import { expectRepresentation } from './helpers/expect';
import { closeConnections, send } from './helpers/http';
import { backendHealth, startVarnish, stop, waitFor } from './helpers/processes';
import type { Varnish } from './helpers/processes';
import { writeVcl } from './helpers/vcl';
import { describeWithVarnish } from './helpers/with-varnish';

// The embedded default: one instance on its SQLite file, behind the shipped VCL's directors.
describeWithVarnish('Varnish in front of one Facet instance on SQLite', (varnishd) => {
  let edge: Edge | undefined;

  beforeAll(async () => {
    edge = await startEdge(varnishd, { count: 1 });
  }, 120_000);

  afterAll(async () => {
    closeConnections();
    await edge?.stop();
  }, 30_000);

  describeCacheBehaviour(() => edge ?? fail('the edge did not start'));
  describeEncodingAndCors(() => edge ?? fail('the edge did not start'));

  it('stays right, only uncached for br and identity, when varnishd runs with http_gzip_support=on against the README', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-varnish-gzip-on-'));
    const instance = (edge ?? fail('the edge did not start')).instances[0]!;
    let varnish: Varnish | undefined;
    try {
      varnish = await startVarnish(varnishd, writeVcl(dir, [instance.port], { normalise: true, corsOrigins: [APP_ORIGIN] }), path.join(dir, 'varnish'), { httpGzipSupport: true });
      const on = varnish;
      await waitFor('the backend probed healthy', async () => (await backendHealth(on.workDir))[instance.name] === 'healthy', 15_000);
      const url = '/api/links/demo14';
      const identity = await send(instance.port, url, { Accept: FULL });
      const tag = identity.headers.etag!;
      const cases: Array<[string | undefined, string | undefined, string, string[]]> = [
        ['br', 'br', `${tag.slice(0, -1)}-br"`, ['MISS', 'MISS']],
        [undefined, undefined, tag, ['MISS', 'MISS']],
        ['gzip, deflate', 'gzip', `${tag.slice(0, -1)}-gz"`, ['MISS', 'HIT']],
      ];
      for (const [ae, coding, etag, cache] of cases) {
        for (const expected of cache) {
          const res = await send(on.port, url, { Accept: FULL, 'Accept-Encoding': ae });
          expect([ae, res.headers['content-encoding'], res.headers.etag, res.headers['x-cache']]).toEqual([ae, coding, etag, expected]);
          expect(expectRepresentation({ ...res, body: decode(res.bytes, coding).toString() }, FULL, 'link')).toEqual(JSON.parse(identity.body));
        }
      }
    } finally {
      await stop(varnish);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function fail(message: string): never {
  throw new Error(message);
}
