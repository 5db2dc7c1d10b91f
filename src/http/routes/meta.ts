import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Registry } from '../../../representations/registry';
import type { Metrics } from '../../observability/metrics';
import type { Store } from '../../domain/repository';
import { requireMetricsToken } from '../guards/metrics-auth';
import { staticFile } from '../answer/encoding/static-file';
import { HttpError } from '../answer/problems';
import { methodNotAllowed } from './method-not-allowed';

/** The project root: the nearest folder above this file holding package.json (works from src/ and dist/). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * How long readiness waits for the store: a probe must answer in well under its own interval, not
 * after the statement timeout (5 s) a held table lock would make it wait.
 */
export const READY_TIMEOUT_MS = 1000;

/** `work`, or a rejection once `ms` have passed (the work itself runs on and is ignored). */
function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** `/openapi.yaml`, the schema files it references, `/healthz`, `/readyz` and `/metrics`. */
export function createMetaRouter(deps: { registry: Registry; store: Store; openapi: Buffer; metrics: Metrics; metricsToken?: string; compressMinBytes?: number; onReady?: () => void }): Router {
  const router = Router();

  router.route('/openapi.yaml')
    .get(staticFile('application/yaml', deps.openapi, { cacheControl: 'public, max-age=300', minBytes: deps.compressMinBytes })) // RFC 9512
    .all(methodNotAllowed('GET, HEAD'));

  // openapi.yaml $refs these files by relative path, so they are served beside it.
  router.get('/representations/*file', function serveSchema(req, res) {
    const file = (req.params as { file: string[] }).file.join('/');
    // Own properties only: `constructor` or `__proto__` must not reach Object.prototype.
    const schema = Object.hasOwn(deps.registry.schemas, file) ? deps.registry.schemas[file] : undefined;
    if (!schema) throw new HttpError('not-found', `No schema ${file}.`);
    const bytes = Buffer.from(JSON.stringify(schema, null, 2));
    res.setHeader('Content-Type', 'application/schema+json');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  });

  // Prometheus text format; behind a bearer token when METRICS_TOKEN is set.
  router.get('/metrics', requireMetricsToken(deps.metricsToken), async function serveMetrics(_req, res) {
    const text = Buffer.from(await deps.metrics.registry.metrics());
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.setHeader('Content-Length', text.length);
    res.setHeader('Cache-Control', 'no-store');
    res.end(text);
  });

  // Health answers describe this moment of this process: no cache may keep them (RFC 9111 §5.2.2.5).
  router.get('/healthz', function health(_req, res) {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async function ready(_req, res) {
    try {
      await withinMs(deps.store.ping(), READY_TIMEOUT_MS);
    } catch {
      throw new HttpError('unavailable', 'The store is not reachable.', { headers: { 'Retry-After': '5' } });
    }
    deps.onReady?.();
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ready' });
  });
  // Other methods (OPTIONS included) get a 405/204 with Allow, not Express's automatic text/html answer.
  router.all(['/representations/*file', '/metrics', '/healthz', '/readyz'], methodNotAllowed('GET, HEAD'));
  return router;
}
