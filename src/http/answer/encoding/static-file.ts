import { contentTag, encodedTag, isEncodingOf } from '../etag';
import type { RequestHandler } from 'express';
import { ifMatchPasses, noneMatchHits } from '../conditional';
import { HttpError } from '../problems';
import { chooseEncoding } from './accept-encoding';
import type { ContentCoding } from './accept-encoding';
import { compressAsync, DEFAULT_COMPRESS_MIN_BYTES } from './compress';

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
 * The one range of a `Range: bytes=…` request (RFC 9110 §14.1.2) within `length` bytes: [first,
 * last]; 'unsatisfiable'; or null when the header is absent or asks for something this server
 * answers whole (several ranges, another unit, a malformed value — a Range it may ignore, §14.2).
 */
function byteRange(header: string | undefined, length: number): [number, number] | 'unsatisfiable' | null {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : [Math.max(0, length - suffix), length - 1];
  }
  const first = Number(match[1]);
  const last = match[2] === '' ? length - 1 : Math.min(Number(match[2]), length - 1);
  if (match[2] !== '' && Number(match[2]) < first) return null;
  return first >= length ? 'unsatisfiable' : [first, last];
}

/**
 * A GET/HEAD handler for a file known at start-up or read on first use (`load`): identity, gzip or
 * br by Accept-Encoding, `Vary: Accept-Encoding`, a strong ETag per encoding and 304 on a match;
 * If-Match (412 unless it names the file) and a single byte Range of the identity bytes (206, or 416).
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
    file.etag ??= contentTag(body, 20);
    const identityTag = file.etag;
    // §13.1.1: any of the file's encodings is "the current representation".
    if (!ifMatchPasses(req.headers['if-match'], (tag) => isEncodingOf(tag, identityTag))) {
      throw new HttpError('precondition-failed', 'If-Match names no current version of this file.');
    }
    // If-Range (§13.1.5) that names another version asks for the whole file.
    const ifRange = req.headers['if-range'];
    const range = req.method === 'GET' && (ifRange === undefined || ifRange === identityTag) ? byteRange(req.headers.range, body.length) : null;
    if (range === 'unsatisfiable') {
      throw new HttpError('range-not-satisfiable', `The file has ${body.length} bytes.`, { headers: { 'Content-Range': `bytes */${body.length}` } });
    }
    if (range !== null && !noneMatchHits(req.headers['if-none-match'], identityTag)) {
      // A range is of the identity bytes: a part of a compressed body would be of another representation.
      const [first, last] = range;
      res.writeHead(206, [
        'Vary', 'Accept-Encoding', 'ETag', identityTag, 'Cache-Control', file.cacheControl, 'Accept-Ranges', 'bytes',
        'Content-Type', file.type, 'Content-Range', `bytes ${first}-${last}/${body.length}`, 'Content-Length', String(last - first + 1),
      ]).end(body.subarray(first, last + 1));
      return;
    }
    const coding = chooseEncoding(req.headers['accept-encoding']);
    const compressed = coding === 'identity' ? null : await encoded(file, body, coding);
    const etag = compressed && coding !== 'identity' ? encodedTag(file.etag, coding) : file.etag;
    const common = ['Vary', 'Accept-Encoding', 'ETag', etag, 'Cache-Control', file.cacheControl];
    if (noneMatchHits(req.headers['if-none-match'], etag)) {
      res.writeHead(304, common).end();
      return;
    }
    const sent = compressed ?? body;
    const headers = [...common, 'Accept-Ranges', 'bytes', 'Content-Type', file.type, 'Content-Length', String(sent.length)];
    if (compressed) headers.push('Content-Encoding', coding);
    res.writeHead(200, headers).end(sent);
  };
}
