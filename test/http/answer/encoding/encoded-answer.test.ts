import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { FULL } from '../../../../representations/media-types';
import { encodedTag } from '../../../../src/http/answer/etag';
import { encodedAnswer, prepareAnswer } from '../../../../src/http/answer/respond';
import type { PreparedAnswer } from '../../../../src/http/answer/respond';

const BIG = Buffer.from(JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ code: `c${i}`, url: `https://example.org/${i}` })) }));

function answer(body: Buffer, compressMinBytes?: number): PreparedAnswer {
  return prepareAnswer({ type: FULL, etag: '"v1.full"', cacheControl: 'private, no-cache', alternates: '', body, compressMinBytes });
}

/** The value of a header in name/value pairs. */
const header = (pairs: string[], name: string) => (pairs.includes(name) ? pairs[pairs.indexOf(name) + 1] : undefined);

describe('encodedAnswer', () => {
  it.each([
    ['gzip', '"v1.full-gz"', zlib.gunzipSync],
    ['br', '"v1.full-br"', zlib.brotliDecompressSync],
  ] as const)('keeps a %s variant with its own ETag, Content-Encoding and length, decoding to the identity bytes', (coding, etag, decode) => {
    const identity = answer(BIG);
    const variant = encodedAnswer(identity, coding);
    expect(variant.etag).toBe(etag);
    expect(header(variant.ok, 'ETag')).toBe(etag);
    expect(header(variant.notModified, 'ETag')).toBe(etag);
    expect(header(variant.ok, 'Content-Encoding')).toBe(coding);
    expect(header(variant.ok, 'Content-Length')).toBe(String(variant.body.length));
    expect(variant.body.length).toBeLessThan(BIG.length / 3);
    expect(decode(variant.body).equals(BIG)).toBe(true);
    expect(header(identity.ok, 'Content-Encoding')).toBeUndefined();
  });

  it('compresses once: the second request for a coding gets the same kept variant', () => {
    const identity = answer(BIG);
    const first = encodedAnswer(identity, 'br');
    expect(encodedAnswer(identity, 'br')).toBe(first);
    expect(identity.encoded.br).toBe(first);
  });

  it('answers identity itself for identity, and never encodes an encoded variant again', () => {
    const identity = answer(BIG);
    expect(encodedAnswer(identity, 'identity')).toBe(identity);
    const gz = encodedAnswer(identity, 'gzip');
    expect(encodedAnswer(gz, 'br')).toBe(gz);
  });

  it('keeps a body under the threshold identity, remembering the decision', () => {
    const small = answer(Buffer.from('{"code":"abc"}'));
    expect(encodedAnswer(small, 'gzip')).toBe(small);
    expect(small.encoded.gzip).toBeNull();
  });

  it('honours a configured threshold', () => {
    expect(encodedAnswer(answer(BIG, BIG.length + 1), 'gzip').etag).toBe('"v1.full"');
    expect(encodedAnswer(answer(BIG, 0), 'gzip').etag).toBe('"v1.full-gz"');
  });

  it('keeps identity when compressing would not make the body smaller', () => {
    const noise = randomBytes(2048);
    expect(encodedAnswer(answer(noise, 0), 'gzip').etag).toBe('"v1.full"');
  });
});

describe('encodedTag', () => {
  it('appends the coding inside the quotes and keeps a weak prefix', () => {
    expect(encodedTag('"abc"', 'gzip')).toBe('"abc-gz"');
    expect(encodedTag('W/"abc"', 'br')).toBe('W/"abc-br"');
  });
});
