import http from 'node:http';
import express from 'express';
import type { Fixtures } from '../fixtures';
import { serveBaseline } from './listen';

/**
 * The naive peer: what a team writes by hand with Express 5. `res.format` picks the type and
 * `res.json` serialises the object on every request; Express's default weak ETag (a hash of the
 * body) and its freshness check answer revalidation.
 */
export function createNaiveExpress(fixtures: Fixtures): http.Server {
  const app = express();
  app.disable('x-powered-by');
  for (const [path, reps] of Object.entries(fixtures.resources)) {
    const handlers = reps.map((r) => {
      const value: unknown = JSON.parse(r.body);
      return [r.type, function send(_req: express.Request, res: express.Response) {
        res.set('Cache-Control', r.headers['cache-control'] ?? 'no-cache');
        if (r.headers.link) res.set('Link', r.headers.link);
        res.json(value);
      }] as const;
    });
    app.get(path, function negotiated(req, res) {
      res.format(Object.fromEntries(handlers.map(([type, send]) => [type, () => send(req, res)])));
    });
  }
  for (const [path, r] of Object.entries(fixtures.redirects)) {
    app.get(path, function follow(_req, res) {
      res.set('Cache-Control', r.headers['cache-control'] ?? 'no-store');
      res.redirect(302, r.location);
    });
  }
  return http.createServer(app);
}

if (require.main === module) serveBaseline(createNaiveExpress);
