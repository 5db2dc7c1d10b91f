import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { VendorType } from '../../representations/media-types';
import { noneMatchHits } from './conditional';

/** The `Link` header value advertising a URL's other representations (RFC 8288). */
export function alternatesHeader(path: string, offers: readonly VendorType[], chosen: VendorType): string {
  return offers
    .filter((t) => t !== chosen)
    .map((t) => `<${path}>; rel="alternate"; type="${t}"`)
    .join(', ');
}

/** An answer prepared once and served many times: its bytes and the headers of its 200 and 304. */
export interface PreparedAnswer {
  etag: string;
  body: Buffer;
  /** Header name/value pairs of the 200 (and of HEAD). */
  ok: string[];
  /** Header name/value pairs of the 304. */
  notModified: string[];
}

/**
 * Prepares a negotiated /api answer: ETag, Cache-Control and alternates on both forms. Vary and
 * nosniff are not its to add: every answer on the way there carries them (src/http/common-headers.ts).
 */
export function prepareAnswer(r: { type: VendorType; etag: string; cacheControl: string; alternates: string; body: Buffer }): PreparedAnswer {
  const common = [
    'ETag', r.etag,
    'Cache-Control', r.cacheControl,
    'Link', r.alternates,
  ];
  return { etag: r.etag, body: r.body, ok: [...common, 'Content-Type', r.type, 'Content-Length', String(r.body.length)], notModified: common };
}

/**
 * Serves a prepared answer: a 304 when a GET/HEAD's If-None-Match names it, else the 200.
 * Written with one writeHead of name/value pairs, which replace headers of the same name set before.
 */
export function servePrepared(req: IncomingMessage, res: ServerResponse, answer: PreparedAnswer): 200 | 304 {
  if ((req.method === 'GET' || req.method === 'HEAD') && noneMatchHits(req.headers['if-none-match'], answer.etag)) {
    res.writeHead(304, answer.notModified).end();
    return 304;
  }
  res.writeHead(200, answer.ok).end(answer.body);
  return 200;
}

/**
 * Prepares a private, computed representation whose strong ETag is the hash of its bytes:
 * for aggregates (pages, stats, dashboards) that have no single version to name.
 */
export function prepareComputed(r: { type: VendorType; body: unknown; path: string; offers: readonly VendorType[]; link?: string }): PreparedAnswer {
  const body = Buffer.from(JSON.stringify(r.body));
  const alternates = alternatesHeader(r.path, r.offers, r.type);
  return prepareAnswer({
    type: r.type,
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    cacheControl: 'private, no-cache',
    alternates: r.link ? `${r.link}, ${alternates}` : alternates,
    body,
  });
}

/** Answers with a computed representation (see prepareComputed). */
export function sendComputed(req: Request, res: Response, r: Parameters<typeof prepareComputed>[0]): void {
  servePrepared(req, res, prepareComputed(r));
}
