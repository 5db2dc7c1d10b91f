import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { noneMatchHits } from '../conditional';
import { chooseEncoding } from './accept-encoding';
import type { ContentCoding } from './accept-encoding';
import { compressAsync, DEFAULT_COMPRESS_MIN_BYTES, encodedEtag } from './compress';

/** A file served as it is (openapi.yaml, the docs page and bundle), with its encodings made once. */
interface StaticFile {
  type: string;
  cacheControl: string;
  minBytes: number;
  body: () => Buffer;
  /** Each coding's bytes, compressed in the thread pool on the first request for it; null: not worth it. */
  encoded: Partial<Record<ContentCoding, Promise<Buffer | null>>>;
  etag?: string;
}

/** Options of a static file: Cache-Control, and the size under which it stays identity. */
export interface StaticOptions {
  cacheControl: string;
  minBytes?: number;
}

function encoded(file: StaticFile, body: Buffer, coding: ContentCoding): Promise<Buffer | null> {
  file.encoded[coding] ??= body.length < file.minBytes
    ? Promise.resolve(null)
    : compressAsync(body, coding).then((bytes) => (bytes.length < body.length ? bytes : null));
  return file.encoded[coding];
}

/**
 * A GET/HEAD handler for a file known at start-up or read on first use (`load`): identity, gzip or
 * br by Accept-Encoding, `Vary: Accept-Encoding`, a strong ETag per encoding and 304 on a match.
 */
export function staticFile(type: string, load: Buffer | string | (() => Buffer), options: StaticOptions): RequestHandler {
  let bytes: Buffer | undefined = typeof load === 'function' ? undefined : Buffer.from(load);
  const file: StaticFile = {
    type,
    cacheControl: options.cacheControl,
    minBytes: options.minBytes ?? DEFAULT_COMPRESS_MIN_BYTES,
    body: () => (bytes ??= (load as () => Buffer)()),
    encoded: {},
  };
  return async function serveStaticFile(req, res) {
    const body = file.body();
    file.etag ??= `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
    const coding = chooseEncoding(req.headers['accept-encoding']);
    const compressed = coding === 'identity' ? null : await encoded(file, body, coding);
    const etag = compressed && coding !== 'identity' ? encodedEtag(file.etag, coding) : file.etag;
    const common = ['Vary', 'Accept-Encoding', 'ETag', etag, 'Cache-Control', file.cacheControl];
    if (noneMatchHits(req.headers['if-none-match'], etag)) {
      res.writeHead(304, common).end();
      return;
    }
    const sent = compressed ?? body;
    const headers = [...common, 'Content-Type', file.type, 'Content-Length', String(sent.length)];
    if (compressed) headers.push('Content-Encoding', coding);
    res.writeHead(200, headers).end(sent);
  };
}
