import { contentTag } from './etag';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VendorType } from '../../../representations/media-types';
import { noneMatchHits } from './conditional';
import type { Coding, ContentCoding } from './encoding/accept-encoding';
import { chooseEncoding } from './encoding/accept-encoding';
import { compressSync, DEFAULT_COMPRESS_MIN_BYTES } from './encoding/compress';
import { encodedTag } from './etag';
import { VARY } from './negotiation/negotiate-request';
import { stateOf } from '../pipeline/state';
import { grew } from './answer-cache';
import type { AnswerKeeper } from './answer-cache';

/** The `Link` header value advertising a URL's other representations (RFC 8288). */
export function alternatesHeader(path: string, offers: readonly VendorType[], chosen: VendorType): string {
  return offers
    .filter((t) => t !== chosen)
    .map((t) => `<${path}>; rel="alternate"; type="${t}"`)
    .join(', ');
}

/** What an answer is prepared from; a variant of it (an encoding, a field selection) is prepared from a copy. */
export interface AnswerSource {
  /** A representation's media type, or the browsable view's (text/html). */
  type: string;
  etag: string;
  cacheControl: string;
  alternates: string;
  body: Buffer;
  /** `Vary` of both forms; answerVary(false) when not given. */
  vary?: string;
  /** Bodies shorter than this are never compressed; DEFAULT_COMPRESS_MIN_BYTES when not given. */
  compressMinBytes?: number;
  /** Set on an encoded variant: its body is already compressed. */
  contentEncoding?: ContentCoding;
  /** More header name/value pairs of the 200 (a page's Content-Security-Policy). */
  extra?: readonly string[];
}

/** An answer prepared once and served many times: its bytes and the headers of its 200 and 304. */
export interface PreparedAnswer {
  etag: string;
  body: Buffer;
  /** Header name/value pairs of the 200 (and of HEAD). */
  ok: string[];
  /** Header name/value pairs of the 304. */
  notModified: string[];
  source: AnswerSource;
  /** Encoded variants, each made on the first request for it and kept with the answer; null: not worth it. */
  encoded: Partial<Record<ContentCoding, PreparedAnswer | null>>;
  /** The browsable page of this answer, made on the first browser request for it (for one request target). */
  page?: { target: string; answer: PreparedAnswer };
  /** The body parsed, made on the first field selection of it (src/http/answer/sparse.ts). */
  parsed?: unknown;
  /** The caches keeping this answer, each under its key: told when the answer grows (src/http/answer/answer-cache.ts). */
  keptBy?: Map<AnswerKeeper, string>;
}

/**
 * What a negotiated /api answer varies on: negotiation, the coding, the session cookie where it may
 * sign the caller in (every route but the public card), and Origin when CORS grants depend on it.
 * Errors vary on the same but the coding (a problem is never compressed).
 */
export function answerVary(cors: boolean, encoded = true, cookie = false): string {
  return `${VARY}${cookie ? ', Cookie' : ''}${encoded ? ', Accept-Encoding' : ''}${cors ? ', Origin' : ''}`;
}

const ANSWER_VARY = answerVary(false);

/**
 * Prepares a negotiated /api answer: Vary (with the coding), ETag, Cache-Control and alternates on
 * both forms. nosniff is not its to add: every answer carries it (src/http/guards/common-headers.ts).
 */
export function prepareAnswer(r: AnswerSource): PreparedAnswer {
  const common = [
    'Vary', r.vary ?? ANSWER_VARY,
    'ETag', r.etag,
    'Cache-Control', r.cacheControl,
    'Link', r.alternates,
  ];
  const ok = [...common, 'Content-Type', r.type, 'Content-Length', String(r.body.length)];
  if (r.contentEncoding) ok.push('Content-Encoding', r.contentEncoding);
  if (r.extra) ok.push(...r.extra);
  return { etag: r.etag, body: r.body, ok, notModified: common, source: r, encoded: {} };
}

/**
 * The answer in `coding`: the identity answer itself, or its encoded variant with its own ETag,
 * compressed on first use and kept on the answer, so a hot read never compresses. Identity when
 * the body is under the threshold or would not shrink.
 */
export function encodedAnswer(answer: PreparedAnswer, coding: Coding): PreparedAnswer {
  if (coding === 'identity' || answer.source.contentEncoding) return answer;
  let variant = answer.encoded[coding];
  if (variant === undefined) {
    const { source } = answer;
    const small = answer.body.length < (source.compressMinBytes ?? DEFAULT_COMPRESS_MIN_BYTES);
    const body = small ? null : compressSync(answer.body, coding);
    variant = body === null || body.length >= answer.body.length
      ? null
      : prepareAnswer({ ...source, etag: encodedTag(source.etag, coding), body, contentEncoding: coding });
    answer.encoded[coding] = variant;
    if (variant !== null) grew(answer);
  }
  return variant ?? answer;
}

/**
 * A prepared answer's headers with the representation's notices (Deprecation, Sunset) after them,
 * their Links joined to the answer's one Link field (writeHead keeps one value per name), and
 * the alternates of retired representations dropped. Unchanged when there is nothing to say.
 */
export function withNotices(headers: string[], notices: readonly string[], retired: readonly string[] = []): string[] {
  if (notices.length === 0 && retired.length === 0) return headers;
  const links: string[] = [];
  const others: string[] = [];
  for (let i = 0; i < notices.length; i += 2) {
    if (notices[i] === 'Link') links.push(notices[i + 1]!);
    else others.push(notices[i]!, notices[i + 1]!);
  }
  const out: string[] = [];
  let linked = false;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== 'Link') {
      out.push(headers[i]!, headers[i + 1]!);
      continue;
    }
    linked = true;
    // Only after a sunset is the prepared value taken apart; before it, the notices are appended.
    const kept = retired.length === 0 ? [headers[i + 1]!] : headers[i + 1]!.split(/,\s*(?=<)/).filter((v) => !retired.some((t) => v.endsWith(`type="${t}"`)));
    const value = [...kept, ...links].filter((v) => v !== '').join(', ');
    if (value !== '') out.push('Link', value);
  }
  if (!linked && links.length > 0) out.push('Link', links.join(', '));
  return out.concat(others);
}

/** What servePrepared wrote: its status and the bytes of its body. */
export interface Served {
  status: 200 | 304;
  bytes: number;
}

/**
 * Serves a prepared answer in the coding Accept-Encoding prefers: a 304 when a GET/HEAD's
 * If-None-Match names that coding's ETag, else the 200. Written with one writeHead of name/value
 * pairs, which replace any header of the same name set before (not a CORS grant: see cors.ts).
 */
export function servePrepared(req: IncomingMessage, res: ServerResponse, prepared: PreparedAnswer): Served {
  // A browser's request (rule 7) is answered with the page of the JSON answer it would otherwise get.
  const { view, notices, retired } = stateOf(res);
  const shown = view === null ? prepared : view(req, prepared);
  const answer = encodedAnswer(shown, chooseEncoding(req.headers['accept-encoding']));
  if ((req.method === 'GET' || req.method === 'HEAD') && noneMatchHits(req.headers['if-none-match'], answer.etag)) {
    res.writeHead(304, withNotices(answer.notModified, notices, retired)).end();
    return { status: 304, bytes: 0 };
  }
  res.writeHead(200, withNotices(answer.ok, notices, retired)).end(answer.body);
  return { status: 200, bytes: answer.body.length };
}

/** The options every computed answer of an app is prepared with. */
export type AnswerOptions = Pick<AnswerSource, 'vary' | 'compressMinBytes'>;

/**
 * Prepares a private, computed representation whose strong ETag is the hash of its bytes:
 * for aggregates (pages, stats, dashboards) that have no single version to name.
 */
export function prepareComputed(r: { type: VendorType; body: unknown; path: string; offers: readonly VendorType[]; link?: string }, options: AnswerOptions = {}): PreparedAnswer {
  const body = Buffer.from(JSON.stringify(r.body));
  const alternates = alternatesHeader(r.path, r.offers, r.type);
  return prepareAnswer({
    ...options,
    type: r.type,
    etag: contentTag(body),
    cacheControl: 'private, no-cache',
    alternates: r.link ? `${r.link}, ${alternates}` : alternates,
    body,
  });
}
