import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { VendorType } from '../../representations/media-types';
import { noneMatchHits } from './conditional';

/** Serialised bodies kept in memory, bounded by bytes and keyed by (resource, id, version, representation). */
export type BodyCache = Pick<LRUCache<string, Buffer>, 'get' | 'set'>;

/** Wraps a body cache so every lookup is counted as a hit or a miss. */
export function countingCache(cache: BodyCache | null, metrics: { observeCacheLookup(hit: boolean): void }): BodyCache | null {
  if (!cache) return null;
  return {
    get(key) {
      const bytes = cache.get(key);
      metrics.observeCacheLookup(bytes !== undefined);
      return bytes;
    },
    set: (key, value) => cache.set(key, value),
  };
}

/** A byte-bounded body cache; `maxBytes` 0 disables caching. */
export function createBodyCache(maxBytes: number): BodyCache | null {
  if (maxBytes <= 0) return null;
  return new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (b) => Math.max(1, b.length) });
}

/** What a handler hands over to answer with a negotiated representation. */
export interface RepresentationResponse {
  type: VendorType;
  etag: string;
  cacheControl: string;
  /** Value of the `Link` header naming the sibling representations. */
  alternates: string;
  /** Builds the body; only called when bytes are actually sent and not given in `bytes`. */
  body?: () => unknown;
  /** An already serialised body. */
  bytes?: Buffer;
  /** When set, the serialised body is cached under this key (it must encode the version). */
  cacheKey?: string;
  status?: 200 | 201;
  location?: string;
}

/**
 * Answers with a representation: byte-exact vendor Content-Type (no charset appended), strong
 * ETag, Cache-Control and alternates. A matching If-None-Match on GET/HEAD is a 304 that costs
 * no serialisation (RFC 9110 §15.4.5 keeps ETag, Cache-Control and Vary on it).
 */
export function sendRepresentation(req: Request, res: Response, cache: BodyCache | null, r: RepresentationResponse): void {
  res.setHeader('ETag', r.etag);
  res.setHeader('Cache-Control', r.cacheControl);
  res.setHeader('Link', r.alternates);
  if ((req.method === 'GET' || req.method === 'HEAD') && noneMatchHits(req.headers['if-none-match'], r.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  let bytes = r.bytes ?? (r.cacheKey ? cache?.get(r.cacheKey) : undefined);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(r.body?.()));
    if (r.cacheKey) cache?.set(r.cacheKey, bytes);
  }
  res.statusCode = r.status ?? 200;
  if (r.location) res.setHeader('Location', r.location);
  res.setHeader('Content-Type', r.type);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/** The `Link` header value advertising a URL's other representations (RFC 8288). */
export function alternatesHeader(path: string, offers: readonly VendorType[], chosen: VendorType): string {
  return offers
    .filter((t) => t !== chosen)
    .map((t) => `<${path}>; rel="alternate"; type="${t}"`)
    .join(', ');
}

/**
 * Answers with a private, computed representation whose strong ETag is the hash of its bytes:
 * for aggregates (pages, stats, dashboards) that have no single version to name.
 */
export function sendComputed(req: Request, res: Response, r: { type: VendorType; body: unknown; path: string; offers: readonly VendorType[]; link?: string }): void {
  const bytes = Buffer.from(JSON.stringify(r.body));
  const alternates = alternatesHeader(r.path, r.offers, r.type);
  sendRepresentation(req, res, null, {
    type: r.type,
    etag: `"${createHash('sha1').update(bytes).digest('base64url')}"`,
    cacheControl: 'private, no-cache',
    alternates: r.link ? `${r.link}, ${alternates}` : alternates,
    bytes,
  });
}
