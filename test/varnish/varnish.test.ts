import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FULL } from '../../representations/media-types';
import type { Coding } from '../../src/http/answer/encoding/accept-encoding';
import { describeCacheBehaviour } from './helpers/cache-suite';
import { APP_ORIGIN, startEdge } from './helpers/edge';
import { describeEncodingAndCors } from './helpers/encoding-cors-suite';
import type { Edge } from './helpers/edge';
import { decode } from './helpers/encoding-corpus';
import type { AcceptEncoding } from './helpers/encoding-corpus';
import { expectRepresentation } from './helpers/expect';
import { closeConnections, send } from './helpers/http';
import { admin, backendHealth, objectsStored, startVarnish, stop, waitFor } from './helpers/processes';
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

  it('caches br, gzip and identity apart and right on varnishd defaults (http_gzip_support=on), and with http_gzip_support=off', async () => {
    const started = edge ?? fail('the edge did not start');
    const instance = started.instances[0]!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-varnish-gzip-off-'));
    let off: Varnish | undefined;
    try {
      off = await startVarnish(varnishd, writeVcl(dir, [instance.port], { normalise: true, corsOrigins: [APP_ORIGIN] }), path.join(dir, 'varnish'), { http_gzip_support: 'off' });
      const offVarnish = off;
      await waitFor('the backend probed healthy', async () => (await backendHealth(offVarnish.workDir))[instance.name] === 'healthy', 15_000);
      const url = '/api/links/demo14';
      const identity = await send(instance.port, url, { Accept: FULL });
      const json = expectRepresentation(identity, FULL, 'link');
      const tag = identity.headers.etag!;
      const etagOf: Record<Coding, string> = { br: `${tag.slice(0, -1)}-br"`, gzip: `${tag.slice(0, -1)}-gz"`, identity: tag };
      // br first: with Varnish's gzip on and no coding in the hash, it would be stored as identity.
      const codings: Array<[AcceptEncoding, Coding]> = [['br', 'br'], [undefined, 'identity'], ['gzip, deflate', 'gzip'], ['gzip, deflate, br', 'br'], ['identity', 'identity']];
      const lines: string[] = [];
      for (const [setting, varnish] of [['on', started.cached], ['off', offVarnish]] as const) {
        expect(await admin(varnish.workDir, 'param.show', 'http_gzip_support')).toMatch(setting === 'on' ? /Value is: on \[bool\] \(default\)/ : /Value is: off/);
        const before = await objectsStored(varnish.workDir);
        const seen = new Set<Coding>();
        let hits = 0;
        for (const round of [1, 2]) {
          for (const [ae, coding] of codings) {
            const res = await send(varnish.port, url, { Accept: FULL, 'Accept-Encoding': ae });
            const what = `http_gzip_support=${setting}, Accept-Encoding ${JSON.stringify(ae)}, round ${round}`;
            const cache = seen.has(coding) ? 'HIT' : 'MISS';
            expect([what, res.headers['content-encoding'] ?? 'identity', res.headers.etag, res.headers['x-cache']]).toEqual([what, coding, etagOf[coding], cache]);
            expect(expectRepresentation({ ...res, body: decode(res.bytes, res.headers['content-encoding']).toString() }, FULL, 'link')).toEqual(json);
            if (res.headers['x-cache'] === 'HIT') hits += 1;
            seen.add(coding);
          }
        }
        const objects = (await objectsStored(varnish.workDir)) - before;
        expect(objects).toBe(3);
        lines.push(`  http_gzip_support=${setting}: ${hits}/${2 * codings.length} hits, ${objects} objects stored, every answer in its own coding with its own strong ETag`);
      }
      process.stdout.write(`\nThe shipped VCL over br, gzip and identity of one card:\n${lines.join('\n')}\n`);
    } finally {
      await stop(off);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function fail(message: string): never {
  throw new Error(message);
}
