import type http from 'node:http';
import { fastifyCompress } from '@fastify/compress';
import type { Fixtures } from '../fixtures';
import { createFastify } from './fastify';
import { serveBaseline } from './listen';

/**
 * The Fastify peer with @fastify/compress registered at its defaults (global, threshold 1 KiB,
 * br quality 4, gzip level 6): every answer is serialised and compressed anew per request, as a
 * Fastify user's would be. Facet compresses once per version of a prepared answer.
 */
export function createFastifyCompress(fixtures: Fixtures, options: { logger?: boolean } = {}): Promise<http.Server> {
  return createFastify(fixtures, { ...options, setup: async (app) => { await app.register(fastifyCompress); } });
}

if (require.main === module) serveBaseline((fixtures) => createFastifyCompress(fixtures, { logger: process.argv[3] === '--logger' }));
