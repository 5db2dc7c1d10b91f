import { gunzipSync } from 'node:zlib';
import { FULL } from '../../../representations/media-types';
import { buildRegistry } from '../../../representations/registry';
import { AnswerCache, answerBytes, ANSWER_OVERHEAD_BYTES, PARSED_BYTES_PER_BYTE } from '../../../src/http/answer/answer-cache';
import { encodedAnswer, prepareAnswer } from '../../../src/http/answer/respond';
import type { PreparedAnswer } from '../../../src/http/answer/respond';
import { createSparseAnswers, readFields } from '../../../src/http/answer/sparse';

const link = buildRegistry().resource('link');

/** A compressible answer of about `size` bytes, its ETag naming `n`. */
function answerOf(n: number, size = 4000): PreparedAnswer {
  const body = Buffer.from(JSON.stringify({ code: `c${n}`, url: `https://example.org/${'a'.repeat(size)}`, clicks: n, links: { self: `http://x/${n}` } }));
  return prepareAnswer({ type: FULL, etag: `"v${n}"`, cacheControl: 'private, no-cache', alternates: `</api/links/c${n}>`, body, compressMinBytes: 1 });
}

const charged = (answers: PreparedAnswer[]) => answers.reduce((sum, a) => sum + answerBytes(a), 0);

describe('AnswerCache', () => {
  it('charges an answer its encoded variants once they are made, and keeps within its budget counting them', () => {
    const first = answerOf(1);
    const cache = new AnswerCache<PreparedAnswer>(1e6, (a) => a);
    cache.set('1', first);
    expect(cache.bytes).toBe(first.body.length + ANSWER_OVERHEAD_BYTES);
    const gzip = encodedAnswer(first, 'gzip');
    expect(gunzipSync(gzip.body).equals(first.body)).toBe(true);
    expect(cache.bytes).toBe(first.body.length + gzip.body.length + 2 * ANSWER_OVERHEAD_BYTES);
    expect(cache.get('1')).toBe(first);

    // A budget of three identity answers: with two encodings each, fewer fit, and the charge never passes it.
    const budget = 3 * (first.body.length + ANSWER_OVERHEAD_BYTES);
    const small = new AnswerCache<PreparedAnswer>(budget, (a) => a);
    const all: PreparedAnswer[] = [];
    for (let n = 0; n < 10; n++) {
      const answer = answerOf(n);
      small.set(String(n), answer);
      encodedAnswer(answer, 'gzip');
      encodedAnswer(answer, 'br');
      all.push(answer);
      expect(small.bytes).toBeLessThanOrEqual(budget);
    }
    const kept = all.filter((a, n) => small.get(String(n)) === a);
    expect(small.bytes).toBe(charged(kept));
    expect(kept.length).toBeLessThan(3);
    expect(kept).toContain(all[9]);
  });

  it('charges a record holding an answer (a kept dashboard) for what its answer grew by', () => {
    const answer = answerOf(2);
    const cache = new AnswerCache<{ answer: PreparedAnswer; version: number }>(1e6, (r) => r.answer, { ttl: 60_000 });
    cache.set('dashboard', { answer, version: 4 });
    encodedAnswer(answer, 'br');
    expect(cache.bytes).toBe(answerBytes(answer));
    expect(cache.get('dashboard')?.version).toBe(4);
  });

  it('charges an answer for its page, and for the page encodings once the page shares its keepers (as the view does)', () => {
    const answer = answerOf(5);
    const cache = new AnswerCache<PreparedAnswer>(1e6, (x) => x);
    cache.set('5', answer);
    const page = answerOf(6, 8000);
    answer.page = { target: '/api/links/c5', answer: page };
    page.keptBy = answer.keptBy!;
    encodedAnswer(page, 'gzip');
    expect(page.encoded.gzip).toBeTruthy();
    expect(cache.bytes).toBe(answerBytes(answer));
    expect(cache.bytes).toBe(answer.body.length + page.body.length + page.encoded.gzip!.body.length + 3 * ANSWER_OVERHEAD_BYTES);
  });

  it('tells every cache keeping one answer, each under its own key', () => {
    const answer = answerOf(3);
    const a = new AnswerCache<PreparedAnswer>(1e6, (x) => x);
    const b = new AnswerCache<PreparedAnswer>(1e6, (x) => x);
    a.set('x', answer);
    b.set('y', answer);
    encodedAnswer(answer, 'gzip');
    expect(a.bytes).toBe(answerBytes(answer));
    expect(b.bytes).toBe(answerBytes(answer));
  });
});

describe('sparse variants within the budget', () => {
  it('keeps many distinct selections of one answer within the sparse budget, their parsed whole counted', () => {
    const whole = answerOf(4, 20_000);
    const budget = 200_000;
    const sparse = createSparseAnswers({ cacheBytes: budget });
    const kept = sparse.keep(whole);
    const paths = ['code', 'url', 'clicks', 'links.self', 'links'];
    const selections = paths.flatMap((p, i) => paths.slice(i + 1).map((q) => `${p},${q}`)).concat(paths);
    for (const fields of selections) {
      const selected = sparse.select(kept, readFields(fields, link.get(FULL)));
      encodedAnswer(selected, 'gzip');
    }
    expect(whole.parsed).toEqual(JSON.parse(whole.body.toString()));
    expect(answerBytes(whole)).toBeGreaterThanOrEqual(whole.body.length * (1 + PARSED_BYTES_PER_BYTE));
    // The projection from the kept parse is the projection of the bytes.
    const one = sparse.select(kept, readFields('links.self,code', link.get(FULL)));
    expect(JSON.parse(one.body.toString())).toEqual({ code: 'c4', links: { self: 'http://x/4' } });
  });
});
