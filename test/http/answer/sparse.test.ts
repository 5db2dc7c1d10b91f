import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import { buildRegistry } from '../../../representations/registry';
import { HttpError } from '../../../src/http/answer/problems';
import { prepareAnswer } from '../../../src/http/answer/respond';
import { createSparseAnswers, readFields, sparseEtag } from '../../../src/http/answer/sparse';

const registry = buildRegistry();
const link = registry.resource('link');

function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('readFields', () => {
  it('is null without the parameter, and a normalised selection with it', () => {
    expect(readFields(undefined, link.get(FULL))).toBeNull();
    expect(readFields('url,code', link.get(FULL))?.key).toBe('code,url');
    expect(readFields(['url', 'code,url'], link.get(FULL))?.key).toBe('code,url');
  });

  it('answers 400 invalid-fields naming an unknown path', () => {
    const err = refusal(() => readFields('code,secret', link.get(SUMMARY)));
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid-fields');
    expect(err.message).toMatch(/"secret"/);
    expect(err.message).not.toMatch(/"code"/);
  });

  it('names a path of full that summary lacks as unknown for summary', () => {
    expect(readFields('tags', link.get(FULL))?.key).toBe('tags');
    expect(refusal(() => readFields('tags', link.get(SUMMARY))).message).toMatch(/"tags"/);
  });

  it('refuses any fields on partner.v3: a frozen contract has no variants', () => {
    const err = refusal(() => readFields('id', link.get(PARTNER_V3)));
    expect(err.code).toBe('invalid-fields');
    expect(err.message).toMatch(/frozen/);
  });

  it.each([[''], [' , '], [{ a: 'b' }]])('refuses %p', (raw) => {
    expect(refusal(() => readFields(raw, link.get(FULL))).code).toBe('invalid-fields');
  });

  it('quotes at most 80 characters of an unknown path', () => {
    expect(refusal(() => readFields('x'.repeat(5000), link.get(FULL))).message.length).toBeLessThan(300);
  });
});

describe('createSparseAnswers', () => {
  const whole = prepareAnswer({
    type: FULL, etag: '"v1.7a.full"', cacheControl: 'public, max-age=60', alternates: '</api/links/abc>; rel="alternate"',
    body: Buffer.from(JSON.stringify({ code: 'abc', url: 'https://example.org/', clicks: 7, links: { self: 'http://x/a', redirect: 'http://x/r' } })),
  });
  const selection = readFields('links.self,code', link.get(FULL))!;

  it('answers the whole answer without a selection', () => {
    expect(createSparseAnswers({ cacheBytes: 1e6 }).select(whole, null)).toBe(whole);
  });

  it('projects the body and gives the variant its own strong ETag, keeping the other headers', () => {
    const sparse = createSparseAnswers({ cacheBytes: 1e6 }).select(whole, selection);
    expect(JSON.parse(sparse.body.toString())).toEqual({ code: 'abc', links: { self: 'http://x/a' } });
    expect(sparse.etag).toBe(sparseEtag('"v1.7a.full"', selection));
    expect(sparse.etag).toMatch(/^"v1\.7a\.full~[A-Za-z0-9_-]{12}"$/);
    expect(sparse.ok).toEqual(expect.arrayContaining(['Cache-Control', 'public, max-age=60', 'Content-Length', String(sparse.body.length)]));
  });

  it('gives every spelling of one selection one ETag, and other selections others', () => {
    const sparse = createSparseAnswers({ cacheBytes: 0 });
    expect(sparse.select(whole, readFields('code, links.self,code', link.get(FULL))).etag).toBe(sparse.select(whole, selection).etag);
    expect(sparse.select(whole, readFields('code', link.get(FULL))).etag).not.toBe(sparse.select(whole, selection).etag);
  });

  it('prepares a selection once and keeps it (with its encodings), within its byte bound', () => {
    const kept = createSparseAnswers({ cacheBytes: 1e6 });
    expect(kept.select(whole, selection)).toBe(kept.select(whole, selection));
    const none = createSparseAnswers({ cacheBytes: 0 });
    expect(none.select(whole, selection)).not.toBe(none.select(whole, selection));
  });
});

describe('createSparseAnswers().keep', () => {
  const computed = () => prepareAnswer({ type: FULL, etag: '"abc"', cacheControl: 'private, no-cache', alternates: '</api/me>', body: Buffer.from('{"id":"usr_ada"}') });

  it('answers an answer built again with the same bytes with the kept one, encodings and all', () => {
    const sparse = createSparseAnswers({ cacheBytes: 1e6 });
    const first = sparse.keep(computed());
    expect(sparse.keep(computed())).toBe(first);
  });

  it('keeps answers of other URLs apart, and keeps nothing with no bytes to keep them in', () => {
    const sparse = createSparseAnswers({ cacheBytes: 1e6 });
    const other = prepareAnswer({ ...computed().source, alternates: '</api/teams/x>' });
    expect(sparse.keep(other)).not.toBe(sparse.keep(computed()));
    const none = createSparseAnswers({ cacheBytes: 0 });
    const a = computed();
    expect(none.keep(a)).toBe(a);
    expect(none.keep(computed())).not.toBe(a);
  });
});
