import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Response } from 'supertest';
import { FULL, SUMMARY } from '../../../representations/media-types';
import { MAX_BODY_BYTES } from '../../../src/http/answer/body';
import { handleClientError } from '../../../src/http/pipeline/client-error';
import { exceedsJsonDepth, MAX_ACCEPT_LENGTH, MAX_ACCEPT_RANGES, MAX_JSON_DEPTH, MAX_RANGE_PARAMETERS, MAX_REQUEST_TARGET } from '../../../src/http/guards/limits';
import { isOverLimit, parseAccept } from '../../../src/http/answer/negotiation/accept-ranges';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { rawExchange } from '../../helpers/raw-http';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { bearer, expectNegotiatedVary } from '../http-expect';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

let serial = 0;
/** POST /api/links as Ada with a raw JSON text body. */
function create(text: string, contentType = 'application/json') {
  return request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL).set('Content-Type', contentType).send(text);
}

/** A create body for a fresh code, with extra fields. */
function newLink(fields: Record<string, unknown> = {}): string {
  serial += 1;
  return JSON.stringify({ url: `https://example.com/limits/${serial}`, code: `limits-${serial}`, ...fields });
}

/** `depth` nested arrays around a number: `[[[1]]]` is depth 3. */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** Asserts a 422 whose `errors` name exactly these JSON Pointers. */
function expectFieldErrors(res: Response, pointers: string[]): void {
  const body = expectProblem(t.registry, res, 422, 'validation-failed');
  expect((body.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual([...pointers].sort());
}

describe('request target length', () => {
  const padded = (length: number) => {
    const base = '/api/links/facet?pad=';
    return base + 'x'.repeat(length - base.length);
  };

  it(`answers 414 problem+json for a request target over ${MAX_REQUEST_TARGET} characters`, async () => {
    const res = await request(t.app).get(padded(MAX_REQUEST_TARGET + 1)).set('Accept', SUMMARY);
    const body = expectProblem(t.registry, res, 414, 'uri-too-long');
    expect(body.detail).toContain(String(MAX_REQUEST_TARGET));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it(`serves a request target of exactly ${MAX_REQUEST_TARGET} characters`, async () => {
    const res = await request(t.app).get(padded(MAX_REQUEST_TARGET)).set('Accept', SUMMARY);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
  });

  it('answers 414 on a short link too, before any lookup or click', async () => {
    const res = await request(t.app).get(`/facet?${'x'.repeat(MAX_REQUEST_TARGET)}`);
    expectProblem(t.registry, res, 414, 'uri-too-long');
  });
});

describe('header size', () => {
  const server = http.createServer((req, res) => t.app(req, res));
  server.on('clientError', handleClientError);
  beforeAll(async () => { await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)); });
  afterAll(async () => { await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }); });

  it(`answers 431 problem+json when the header fields exceed ${http.maxHeaderSize} bytes`, async () => {
    const res = await request(server).get('/api/links/facet').set('X-Padding', 'a'.repeat(http.maxHeaderSize + 1));
    const body = expectProblem(t.registry, res, 431, 'header-fields-too-large');
    expect(body.detail).toContain(String(http.maxHeaderSize));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.connection).toBe('close');
  });

  it('never echoes the rejected header section, an Authorization header included', async () => {
    const res = await request(server).get('/api/me').set('Authorization', bearer(KEYS.user)).set('X-Padding', 'a'.repeat(http.maxHeaderSize));
    expectProblem(t.registry, res, 431, 'header-fields-too-large');
    expect(res.text).not.toContain(KEYS.user);
  });

  it('answers 400 problem+json to a request that is not well-formed HTTP', async () => {
    const res = await rawExchange(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'GET /api/links/facet HTTP/1.1\r\nHost: x\r\nThis is no header\r\n\r\n');
    expectProblem(t.registry, res, 400, 'bad-request');
  });

  it('still answers well-formed requests on the same server', async () => {
    const res = await request(server).get('/api/links/facet').set('Accept', SUMMARY);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
  });
});

describe('request body size', () => {
  it(`answers 413 for a body of ${MAX_BODY_BYTES + 1} bytes`, async () => {
    const text = newLink({ title: 'x' });
    const res = await create(text.replace('"title":"x"', `"title":"${'x'.repeat(MAX_BODY_BYTES + 1 - text.length + 1)}"`));
    expectProblem(t.registry, res, 413, 'payload-too-large');
  });

  it(`reads a body of exactly ${MAX_BODY_BYTES} bytes (then refuses the over-long title with 422)`, async () => {
    const text = newLink({ title: 'x' });
    const exact = text.replace('"title":"x"', `"title":"${'x'.repeat(MAX_BODY_BYTES - text.length + 1)}"`);
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    expectFieldErrors(await create(exact), ['/title']);
  });
});

describe('JSON nesting depth', () => {
  it(`answers 400 json-too-deep for a body nested ${MAX_JSON_DEPTH + 1} levels deep, before validation`, async () => {
    // The outer object is one level, so the array adds MAX_JSON_DEPTH more.
    const res = await create(newLink().replace(/}$/, `,"tags":${nested(MAX_JSON_DEPTH)}}`));
    const body = expectProblem(t.registry, res, 400, 'json-too-deep');
    expect(body.errors).toBeUndefined();
  });

  it(`validates a body nested exactly ${MAX_JSON_DEPTH} levels deep as usual (422 naming the field)`, async () => {
    expectFieldErrors(await create(newLink().replace(/}$/, `,"tags":${nested(MAX_JSON_DEPTH - 1)}}`)), ['/tags/0']);
  });

  it('answers a body of nothing but 16 KiB of open brackets with 400, not a parser crash', async () => {
    expectProblem(t.registry, await create('['.repeat(MAX_BODY_BYTES)), 400, 'json-too-deep');
  });

  it('does not count brackets inside strings', async () => {
    const res = await create(newLink({ title: `${'[{'.repeat(40)}\\"]` }));
    expect(res.status).toBe(201);
    expectValidBody(t.registry, res, 'link');
  });

  it('limits PATCH bodies the same way', async () => {
    const res = await request(t.app).patch('/api/links/facet').set('Authorization', bearer(KEYS.user)).set('Content-Type', 'application/merge-patch+json')
      .send(`{"title":${nested(MAX_JSON_DEPTH + 5)}}`);
    expectProblem(t.registry, res, 400, 'json-too-deep');
  });

  it.each([
    ['[]', 1, false],
    ['[[]]', 1, true],
    ['{"a":"[[[["}', 1, false],
    ['{"a":"\\"[[["}', 1, false],
    ['{"a":[{"b":[]}]}', 4, false],
    ['{"a":[{"b":[]}]}', 3, true],
  ])('measures the depth of %s against %i: over is %p', (text, max, over) => {
    expect(exceedsJsonDepth(text, max)).toBe(over);
  });
});

describe('number of Accept ranges', () => {
  const ranges = (n: number) => Array.from({ length: n }, (_, i) => (i === n - 1 ? SUMMARY : `text/x-${i}`)).join(', ');

  it(`answers 400 too-many-accept-ranges, with Vary, for ${MAX_ACCEPT_RANGES + 1} ranges`, async () => {
    const res = await request(t.app).get('/api/links/facet').set('Accept', ranges(MAX_ACCEPT_RANGES + 1));
    expectProblem(t.registry, res, 400, 'too-many-accept-ranges');
    expectNegotiatedVary(res);
  });

  it(`negotiates as usual with exactly ${MAX_ACCEPT_RANGES} ranges`, async () => {
    const res = await request(t.app).get('/api/links/facet').set('Accept', ranges(MAX_ACCEPT_RANGES));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(SUMMARY);
    expectValidBody(t.registry, res, 'link');
  });

  it('does not count commas inside quoted parameter values', async () => {
    const quoted = `text/html;x="${','.repeat(100)}", ${SUMMARY}`;
    const res = await request(t.app).get('/api/links/facet').set('Accept', quoted);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
  });

  it.each([
    ['a quote that starts no quoted string before 2,500 ranges', `a"b, ${'x/y0,'.repeat(2500)}`],
    [`${MAX_ACCEPT_RANGES + 1} ranges behind an unbalanced quote`, `a"b, ${ranges(MAX_ACCEPT_RANGES)}`],
    ['one range with 1,500 parameters', `${SUMMARY}${';a=b'.repeat(1500)}`],
    [`one range with ${MAX_RANGE_PARAMETERS + 1} parameters`, `${SUMMARY}${';a=b'.repeat(MAX_RANGE_PARAMETERS + 1)}`],
    [`a header of ${MAX_ACCEPT_LENGTH + 1} characters`, `${SUMMARY};x="${'y'.repeat(MAX_ACCEPT_LENGTH - SUMMARY.length - 4)}"`],
  ])('answers 400 too-many-accept-ranges, on every hot route, for %s', async (_name, header) => {
    for (const [path, auth] of [['/api/links/facet', undefined], ['/api/dashboard', bearer(KEYS.user)]] as const) {
      const req = request(t.app).get(path).set('Accept', header);
      if (auth) req.set('Authorization', auth);
      const res = await req;
      expectProblem(t.registry, res, 400, 'too-many-accept-ranges');
      expectNegotiatedVary(res);
    }
  });

  it(`negotiates a range with exactly ${MAX_RANGE_PARAMETERS} parameters and a header of exactly ${MAX_ACCEPT_LENGTH} characters`, async () => {
    const params = await request(t.app).get('/api/links/facet').set('Accept', `text/html${';a=b'.repeat(MAX_RANGE_PARAMETERS)}, ${SUMMARY}`);
    expect(params.status).toBe(200);
    expectValidBody(t.registry, params, 'link');
    const padding = `text/html;x="${'y'.repeat(MAX_ACCEPT_LENGTH - SUMMARY.length - 16)}", ${SUMMARY}`;
    expect(padding).toHaveLength(MAX_ACCEPT_LENGTH);
    const long = await request(t.app).get('/api/links/facet').set('Accept', padding);
    expect(long.status).toBe(200);
    expect(long.headers['content-type']).toBe(SUMMARY);
    expectValidBody(t.registry, long, 'link');
  });
});

describe('parseAccept(), the one parser that negotiation and the limits use', () => {
  const over = (header: string) => isOverLimit(parseAccept(header));
  const types = (header: string) => {
    const parsed = parseAccept(header);
    return isOverLimit(parsed) ? parsed : parsed.map((r) => `${r.type};q=${r.q}${r.extraParams ? ';x' : ''}`);
  };

  it.each([
    ['a/b', ['a/b;q=1']],
    ['A/B;Q=0.5', ['a/b;q=0.5']],
    ['a/b;q="1,2,3", c/d', ['c/d;q=1']], // a quoted q is no qvalue; the comma inside it separates nothing
    ['a/b;x="\\",", c/d', ['a/b;q=1;x', 'c/d;q=1']],
    ['a"b, c/d', ['c/d;q=1']],
    ['a/b;x="unterminated, c/d', []],
    ['a/b ; charset=utf-8 ; q=0.2 ; ext="v", , c/d;', ['a/b;q=0.2', 'c/d;q=1']],
    ['a/b;q=2, c/d;q=0.001', ['c/d;q=0.001']],
    ['a/b;q, c/d;charset', ['a/b;q=1', 'c/d;q=1']], // a name without a value is ignored
  ])('reads %s as %j', (header, expected) => {
    expect(types(header)).toEqual(expected);
  });

  it('stops at the first range, parameter or character over a limit', () => {
    expect(over('a/b,'.repeat(MAX_ACCEPT_RANGES))).toBe(false);
    expect(over('a/b,'.repeat(MAX_ACCEPT_RANGES + 1))).toBe(true);
    expect(over('a"b,'.repeat(MAX_ACCEPT_RANGES + 1))).toBe(true); // malformed members count too
    expect(over(`a/b${';p=v'.repeat(MAX_RANGE_PARAMETERS)}`)).toBe(false);
    expect(over(`a/b${';p=v'.repeat(MAX_RANGE_PARAMETERS + 1)}`)).toBe(true);
    expect(over(`a/b;p="${','.repeat(MAX_ACCEPT_LENGTH)}"`)).toBe(true);
  });
});

describe('tags', () => {
  it('answers 422 naming /tags for 21 tags', async () => {
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expectFieldErrors(await create(newLink({ tags })), ['/tags']);
  });

  it('answers 422 naming the tag for a tag of 41 characters', async () => {
    expectFieldErrors(await create(newLink({ tags: ['ok', 'x'.repeat(41)] })), ['/tags/1']);
  });

  it('answers 422 for an empty tag and for repeated tags', async () => {
    expectFieldErrors(await create(newLink({ tags: [''] })), ['/tags/0']);
    expectFieldErrors(await create(newLink({ tags: ['a', 'a'] })), ['/tags']);
  });

  it('accepts 20 tags of 40 characters', async () => {
    const tags = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(40, 'x'));
    const res = await create(newLink({ tags }));
    expect(res.status).toBe(201);
    expect(expectValidBody(t.registry, res, 'link').tags).toEqual(tags);
  });

  it('limits tags on PATCH the same way', async () => {
    const res = await request(t.app).patch('/api/links/facet').set('Authorization', bearer(KEYS.user)).set('Content-Type', 'application/json')
      .send(JSON.stringify({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }));
    expectFieldErrors(res, ['/tags']);
  });
});

describe('page size', () => {
  const page = (query: string) => request(t.app).get(`/api/links${query}`).set('Authorization', bearer(KEYS.user)).set('Accept', SUMMARY);

  it.each(['?limit=101', '?limit=0', '?limit=-1', '?limit=1e2', '?limit=99999999', '?limit=1&limit=2'])('answers 400 invalid-query for %s', async (query) => {
    expectProblem(t.registry, await page(query), 400, 'invalid-query');
  });

  it('serves a page of at most 100 links for limit=100', async () => {
    const res = await page('?limit=100');
    expect(res.status).toBe(200);
    const body = expectValidBody(t.registry, res, 'link-page');
    expect((body.items as unknown[]).length).toBeLessThanOrEqual(100);
  });
});
