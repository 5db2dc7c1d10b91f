import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ContentCoding } from './accept-encoding';

/** Bodies shorter than this stay identity unless configured otherwise (COMPRESS_MIN_BYTES). */
export const DEFAULT_COMPRESS_MIN_BYTES = 1024;


// Answers are compressed on the event loop, once per version: brotli 5 compresses a 27 KB
// dashboard in ~1.5 ms, smaller than gzip 9; quality 11 takes ~50 ms for 13 % less.
const SYNC_OPTIONS: Record<ContentCoding, zlib.ZlibOptions | zlib.BrotliOptions> = {
  gzip: { level: 6 },
  br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } },
};
// Static files (the docs bundle is 1.7 MB) are compressed off the event loop, once per process.
const ASYNC_OPTIONS: Record<ContentCoding, zlib.ZlibOptions | zlib.BrotliOptions> = {
  gzip: { level: 9 },
  br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } },
};
const gzipAsync = promisify(zlib.gzip);
const brotliAsync = promisify(zlib.brotliCompress);

/** Compresses a prepared answer's body on the event loop (fast settings for bodies of tens of KB). */
export function compressSync(body: Buffer, coding: ContentCoding): Buffer {
  return coding === 'br' ? zlib.brotliCompressSync(body, SYNC_OPTIONS.br) : zlib.gzipSync(body, SYNC_OPTIONS.gzip);
}

/** Compresses a static file in the thread pool, harder than compressSync. */
export function compressAsync(body: Buffer, coding: ContentCoding): Promise<Buffer> {
  return coding === 'br' ? brotliAsync(body, ASYNC_OPTIONS.br) : gzipAsync(body, ASYNC_OPTIONS.gzip);
}

