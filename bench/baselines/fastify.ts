import http from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { SCHEMA_FILES } from '../../representations/registry';
import type { Fixtures } from '../fixtures';
import { serveBaseline } from './listen';

const SCHEMA_BASE = 'https://facet.example/representations/';

/**
 * A copy of a schema with `$id` set to `id` and every relative `$ref` made absolute against it:
 * fast-json-stringify does not resolve `../link/full.schema.json` relative to the enclosing schema.
 */
function absoluteRefs(node: unknown, id: string, root = true): unknown {
  if (Array.isArray(node)) return node.map((n) => absoluteRefs(n, id, false));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = root ? { $id: id } : {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' ? new URL(value, id).href : absoluteRefs(value, id, false);
  }
  return out;
}

/**
 * The framework peer: Fastify 5 serialising each response with fast-json-stringify compiled from
 * Facet's own representation schemas (one per content type), negotiation by exact Accept, and a
 * hand-written If-None-Match check against the ETag Facet issued. `logger: true` is what a
 * Fastify user runs in production: pino, a line per request received and one per response.
 * `setup` registers plugins before any route is added (their onRoute hooks see every route).
 */
export async function createFastify(fixtures: Fixtures, options: { logger?: boolean; setup?: (app: FastifyInstance) => Promise<void> } = {}): Promise<http.Server> {
  let server: http.Server | undefined;
  const app = Fastify({
    logger: options.logger ?? false,
    serverFactory: (handler) => (server = http.createServer(handler)),
  });
  await options.setup?.(app);
  for (const [file, schema] of Object.entries(SCHEMA_FILES)) app.addSchema(absoluteRefs(schema, SCHEMA_BASE + file) as { $id: string });
  for (const [path, reps] of Object.entries(fixtures.resources)) {
    const byType = new Map(reps.map((r) => [r.type, { ...r, value: JSON.parse(r.body) as unknown }]));
    const content = Object.fromEntries(reps.map((r) => [r.type, { schema: { $ref: SCHEMA_BASE + r.schema } }]));
    // A fixture's path may carry a query (`/api/links?limit=50`): Fastify routes on the path alone.
    app.get(new URL(path, 'http://x').pathname, { schema: { response: { 200: { content }, 304: { type: 'null' }, 406: { type: 'null' } } } }, async function negotiated(request, reply) {
      const r = byType.get(request.headers.accept ?? '');
      if (!r) return reply.code(406).send();
      reply.header('etag', r.etag);
      for (const [name, value] of Object.entries(r.headers)) reply.header(name, value);
      if (request.headers['if-none-match'] === r.etag) return reply.code(304).send();
      reply.header('content-type', r.type);
      return r.value;
    });
  }
  for (const [path, r] of Object.entries(fixtures.redirects)) {
    app.get(path, async function follow(_request, reply) {
      reply.header('cache-control', r.headers['cache-control'] ?? 'no-store');
      return reply.redirect(r.location, 302);
    });
  }
  await app.ready();
  if (!server) throw new Error('fastify did not create its server');
  return server;
}

if (require.main === module) serveBaseline((fixtures) => createFastify(fixtures, { logger: process.argv[3] === '--logger' }));
