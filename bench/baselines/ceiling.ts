import http from 'node:http';
import type { Fixtures } from '../fixtures';
import { serveBaseline } from './listen';

type Head = [number, string[]];
interface Prepared { etag: string; ok: Head; body: Buffer; notModified: Head }

function flat(headers: Record<string, string>): string[] {
  return Object.entries(headers).flat();
}

/**
 * The ceiling: raw node:http writing precomputed bytes. Status lines, headers and bodies are all
 * prepared at start; a request costs one map lookup on (path, Accept) and one write.
 */
export function createCeiling(fixtures: Fixtures): http.Server {
  const routes = new Map<string, Map<string, Prepared>>();
  for (const [path, reps] of Object.entries(fixtures.resources)) {
    const byType = new Map<string, Prepared>();
    for (const r of reps) {
      const body = Buffer.from(r.body);
      const common = { ...r.headers, etag: r.etag };
      byType.set(r.type, {
        etag: r.etag,
        body,
        ok: [200, flat({ ...common, 'content-type': r.type, 'content-length': String(body.length) })],
        notModified: [304, flat(common)],
      });
    }
    routes.set(path, byType);
  }
  const redirects = new Map<string, Head>();
  for (const [path, r] of Object.entries(fixtures.redirects)) {
    redirects.set(path, [302, flat({ ...r.headers, location: r.location, 'content-length': '0' })]);
  }
  return http.createServer(function ceiling(req, res) {
    const redirect = redirects.get(req.url ?? '');
    if (redirect) {
      res.writeHead(redirect[0], redirect[1]).end();
      return;
    }
    const prepared = routes.get(req.url ?? '')?.get(req.headers.accept ?? '');
    if (!prepared) {
      res.writeHead(406).end();
      return;
    }
    if (req.headers['if-none-match'] === prepared.etag) {
      res.writeHead(prepared.notModified[0], prepared.notModified[1]).end();
      return;
    }
    res.writeHead(prepared.ok[0], prepared.ok[1]).end(prepared.body);
  });
}

if (require.main === module) serveBaseline(createCeiling);
