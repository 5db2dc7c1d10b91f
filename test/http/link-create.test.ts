import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import { createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer, expectNegotiatedVary, expectRepresentationHeaders, VENDOR_TYPES } from './http-expect';

const DAY = 86_400_000;

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** POST /api/links as Ada with a JSON body (a string is sent as is), overridable headers. */
function create(body: unknown, headers: Record<string, string> = {}) {
  const req = request(t.app).post('/api/links');
  const all = { Authorization: bearer(KEYS.user), Accept: FULL, 'Content-Type': 'application/json', ...headers };
  for (const [name, value] of Object.entries(all)) req.set(name, value);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Asserts a 422 whose `errors` name exactly these JSON Pointers. */
function expectFieldErrors(res: request.Response, pointers: string[]): void {
  const body = expectProblem(t.registry, res, 422, 'validation-failed');
  const errors = body.errors as { pointer: string; detail: string }[];
  expect(errors.map((e) => e.pointer).sort()).toEqual([...pointers].sort());
}

/** Asserts that no link has this code. */
async function expectNoLink(code: string): Promise<void> {
  expect(await t.store.links.findByCode(code)).toBeNull();
  const res = await request(t.app).get(`/api/links/${code}`).set('Accept', SUMMARY);
  expectProblem(t.registry, res, 404, 'not-found');
}

describe('POST /api/links', () => {
  describe('with an application/json body', () => {
    it('answers 201 with Location and the full representation by default', async () => {
      const res = await create({ url: 'https://example.com/first', title: 'First', tags: ['a', 'b'] });
      expect(res.status).toBe(201);
      const body = expectValidBody(t.registry, res, 'link');
      expect(res.headers.location).toBe(`/api/links/${body.code as string}`);
      expectRepresentationHeaders(res, FULL, { cacheControl: 'private, no-cache', path: res.headers.location as string });
      expect(body).toMatchObject({ url: 'https://example.com/first', title: 'First', tags: ['a', 'b'], clicks: 0, status: 'active' });
      expect(body.code).toMatch(/^[A-Za-z0-9]{7}$/);
      expect(body.createdAt).toBe(FIXED_NOW.toISOString());
    });

    it('creates a link that its Location serves and its short URL redirects to', async () => {
      const res = await create({ url: 'https://example.com/served' });
      const body = expectValidBody(t.registry, res, 'link');
      const card = await request(t.app).get(res.headers.location as string).set('Accept', FULL);
      expect(card.status).toBe(200);
      expect(expectValidBody(t.registry, card, 'link')).toEqual(body);
      const hop = await request(t.app).get(`/${body.code as string}`);
      expect(hop.status).toBe(302);
      expectValidBody(t.registry, hop);
      expect(hop.headers.location).toBe('https://example.com/served');
    });

    it('uses a free custom code', async () => {
      const res = await create({ url: 'https://example.com/custom', code: 'my_Custom-code' });
      expect(res.status).toBe(201);
      expect(expectValidBody(t.registry, res, 'link').code).toBe('my_Custom-code');
      expect(res.headers.location).toBe('/api/links/my_Custom-code');
    });

    it('stores the URL in its normalised form', async () => {
      const res = await create({ url: 'HTTPS://Example.COM' });
      expect(res.status).toBe(201);
      expect(expectValidBody(t.registry, res, 'link').url).toBe('https://example.com/');
    });

    it('accepts Content-Type application/json; charset=utf-8', async () => {
      const res = await create({ url: 'https://example.com/utf8' }, { 'Content-Type': 'application/json; charset=utf-8' });
      expect(res.status).toBe(201);
      expectValidBody(t.registry, res, 'link');
    });

    it('accepts a URL of exactly 2048 characters', async () => {
      const url = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
      const res = await create({ url });
      expect(res.status).toBe(201);
      expect(expectValidBody(t.registry, res, 'link').url).toBe(url);
    });

    it.each([
      [SUMMARY, {}],
      [PARTNER_V3, {}],
      [PARTNER_V4, {}],
      [SUMMARY, { Accept: '*/*', 'X-Client-Platform': 'ios' }],
    ] as const)('answers with the negotiated representation (%s)', async (type, headers) => {
      const res = await create({ url: 'https://example.com/negotiated' }, { Accept: type, ...headers });
      expect(res.status).toBe(201);
      expectRepresentationHeaders(res, type, { cacheControl: 'private, no-cache', path: res.headers.location as string });
      expectValidBody(t.registry, res, 'link');
    });

    it('answers a partner key in partner.v3 for Accept */*', async () => {
      const res = await create({ url: 'https://example.com/by-partner' }, { Authorization: bearer(KEYS.partner), Accept: '*/*' });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe(PARTNER_V3);
      expect(expectValidBody(t.registry, res, 'link').long_url).toBe('https://example.com/by-partner');
    });
  });

  describe('with a partner.v3 body', () => {
    it('answers 201 reading long_url, id, title and expires_at', async () => {
      const expiresAt = Math.floor(FIXED_NOW.getTime() / 1000) + 7 * 86_400;
      const res = await create(
        { long_url: 'https://example.com/partner', id: 'acme-promo', title: 'Promo', expires_at: expiresAt },
        { Authorization: bearer(KEYS.partner), 'Content-Type': PARTNER_V3, Accept: PARTNER_V3 },
      );
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('/api/links/acme-promo');
      const body = expectValidBody(t.registry, res, 'link');
      expect(body).toMatchObject({ id: 'acme-promo', long_url: 'https://example.com/partner', title: 'Promo', expires_at: expiresAt, click_count: 0 });

      const card = await request(t.app).get('/api/links/acme-promo').set('Accept', FULL);
      expect(expectValidBody(t.registry, card, 'link').expiresAt).toBe(new Date(expiresAt * 1000).toISOString());
    });

    it('answers in the negotiated representation, whatever the body was', async () => {
      const res = await create({ long_url: 'https://example.com/partner-body' }, { 'Content-Type': PARTNER_V3, Accept: SUMMARY });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe(SUMMARY);
      expect(expectValidBody(t.registry, res, 'link').url).toBe('https://example.com/partner-body');
    });

    it('names bad fields with the partner\'s field names', async () => {
      const headers = { 'Content-Type': PARTNER_V3 };
      expectFieldErrors(await create({ url: 'https://example.com/' }, headers), ['/long_url', '/url']);
      expectFieldErrors(await create({ long_url: 'javascript:alert(1)' }, headers), ['/long_url']);
      expectFieldErrors(await create({ long_url: 'https://example.com/', id: 'api' }, headers), ['/id']);
      expectFieldErrors(await create({ long_url: 'https://example.com/', id: 'a b' }, headers), ['/id']);
      expectFieldErrors(await create({ long_url: 'https://example.com/', expires_at: Math.floor(FIXED_NOW.getTime() / 1000) - 60 }, headers), ['/expires_at']);
      expectFieldErrors(await create({ long_url: 'https://example.com/', expires_at: '2030-01-01T00:00:00Z' }, headers), ['/expires_at']);
    });

    it('speaks the partner\'s field names in the detail of a domain error', async () => {
      const res = await create({ long_url: 'ftp://example.com/file' }, { 'Content-Type': PARTNER_V3 });
      const body = expectProblem(t.registry, res, 422, 'validation-failed');
      const errors = body.errors as { pointer: string; detail: string }[];
      expect(errors[0]!.detail).toMatch(/^long_url\b/);
    });

    it('answers 409 for an id that is taken', async () => {
      const res = await create({ long_url: 'https://example.com/', id: 'facet' }, { 'Content-Type': PARTNER_V3 });
      expectProblem(t.registry, res, 409, 'code-taken');
    });
  });

  describe('refused bodies', () => {
    it('answers 415 for text/plain', async () => {
      const res = await create({ url: 'https://example.com/' }, { 'Content-Type': 'text/plain' });
      expectProblem(t.registry, res, 415, 'unsupported-media-type');
      expect(res.headers['accept-post']).toContain('application/json');
    });

    it('answers 415 when Content-Type is missing', async () => {
      const res = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user))
        .send(Buffer.from(JSON.stringify({ url: 'https://example.com/no-type' })));
      // The guard that this request really went out without a Content-Type.
      expect((res as unknown as { req: { getHeader(name: string): unknown } }).req.getHeader('content-type')).toBeUndefined();
      expectProblem(t.registry, res, 415, 'unsupported-media-type');
    });

    it('answers 415 for a JSON body in a charset other than UTF-8', async () => {
      const res = await create({ url: 'https://example.com/' }, { 'Content-Type': 'application/json; charset=iso-8859-1' });
      expectProblem(t.registry, res, 415, 'unsupported-media-type');
    });

    it.each([
      ['truncated', '{"url": "https://example.com/"'],
      ['empty', ''],
      ['single-quoted', "{'url': 'https://example.com/'}"],
    ])('answers 400 for malformed JSON (%s)', async (_name, text) => {
      const res = await create(text);
      expectProblem(t.registry, res, 400, 'malformed-json');
    });

    it('answers 413 for a body over 16 KB', async () => {
      const res = await create({ url: `https://example.com/${'a'.repeat(17 * 1024)}` });
      expectProblem(t.registry, res, 413, 'payload-too-large');
    });

    it.each([
      ['an array', [{ url: 'https://example.com/' }], ['/']],
      ['a missing url', { title: 'no url' }, ['/url']],
      ['an unknown field', { url: 'https://example.com/', shortUrl: 'x' }, ['/shortUrl']],
      ['a title that is not a string', { url: 'https://example.com/', title: 42 }, ['/title']],
      ['a title over 200 characters', { url: 'https://example.com/', title: 't'.repeat(201) }, ['/title']],
      ['repeated tags', { url: 'https://example.com/', tags: ['x', 'x'] }, ['/tags']],
      ['an expiresAt that is not a date-time', { url: 'https://example.com/', expiresAt: 'tomorrow' }, ['/expiresAt']],
      ['several bad fields at once', { url: 7, title: 42 }, ['/url', '/title']],
    ])('answers 422 naming the fields for %s', async (_name, body, pointers) => {
      expectFieldErrors(await create(body), pointers);
    });

    it.each([
      ['a leap second', 'application/json', { url: 'https://example.com/leap', expiresAt: '2030-01-01T23:59:60Z' }, '/expiresAt'],
      ['an epoch beyond the last representable date', PARTNER_V3, { long_url: 'https://example.com/far', expires_at: 8_640_000_000_001 }, '/expires_at'],
      ['an epoch past the year 9999, which RFC 3339 cannot write', PARTNER_V3, { long_url: 'https://example.com/far', expires_at: 253_402_300_800 }, '/expires_at'],
    ])('answers 422 naming the field for an expiry that is not a representable date (%s), never dropping it', async (_name, type, body, pointer) => {
      const res = await create(body, { 'Content-Type': type, Accept: FULL });
      expectFieldErrors(res, [pointer]);
      expect((res.body as { detail: string }).detail).toContain(pointer.slice(1));
    });

    it('lists at most 20 errors of a body with 1,400 unknown fields and says how many more there were', async () => {
      const body: Record<string, unknown> = { url: 'https://example.com/many' };
      for (let i = 0; i < 1400; i += 1) body[`f${i}`] = 1;
      const res = await create(body);
      const problem = expectProblem(t.registry, res, 422, 'validation-failed');
      expect(problem.errors).toHaveLength(20);
      expect(problem.errorsOmitted).toBe(1380);
      expect(problem.detail).toMatch(/and 1380 more/);
      expect(res.text.length).toBeLessThan(3000);
    });

    it('lists every error, without errorsOmitted, when there are at most 20', async () => {
      const res = await create({ url: 5, code: '!', title: 7 });
      const problem = expectProblem(t.registry, res, 422, 'validation-failed');
      expect(problem.errors).toHaveLength(3);
      expect(problem).not.toHaveProperty('errorsOmitted');
    });

    it('answers 422 for an expiresAt in the past', async () => {
      expectFieldErrors(await create({ url: 'https://example.com/', expiresAt: new Date(FIXED_NOW.getTime() - DAY).toISOString() }), ['/expiresAt']);
    });
  });

  describe('refused target URLs', () => {
    it.each([
      ['javascript:', 'javascript:alert(document.cookie)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['file:', 'file:///etc/passwd'],
      ['ftp:', 'ftp://example.com/file'],
      ['relative', 'example.com/path'],
      ['credentials', 'https://user:secret@example.com/'],
      ['a user name', 'https://user@example.com/'],
      ['whitespace', 'https://exa mple.com/'],
      ['a control character', 'https://example.com/\u0000x'],
      ['localhost', 'http://localhost:3000/facet'],
      ['LOCALHOST in capitals', 'HTTP://LOCALHOST/'],
      ['127.0.0.1', 'http://127.0.0.1:3000/'],
      ['127.0.0.1 spelled 127.1', 'http://127.1/'],
      ['127.0.0.1 as a number', 'http://2130706433/'],
      ['[::1]', 'http://[::1]:3000/'],
      ['over 2048 characters', `https://example.com/${'a'.repeat(2048)}`],
      ['over 2048 characters once normalised', `https://example.com/${'é'.repeat(1000)}`],
    ])('answers 422 for a %s URL and creates nothing', async (name, url) => {
      const code = `refused-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
      expectFieldErrors(await create({ url, code }), ['/url']);
      await expectNoLink(code);
    });

    it.each([
      ['localhost with a trailing dot', 'http://localhost.:3000/facet', 'loopback-dot'],
      ['another 127/8 loopback address', 'http://127.0.0.2:3000/', 'loopback-127-2'],
      ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:3000/', 'loopback-mapped'],
      ['a *.localhost name (RFC 6761 §6.3)', 'http://app.localhost:3000/', 'loopback-subdomain'],
      ['the unspecified IPv4 address', 'http://0.0.0.0:3000/', 'loopback-any4'],
      ['the unspecified IPv6 address', 'http://[::]:3000/', 'loopback-any6'],
    ])('answers 422 for another spelling of this service\'s loopback host: %s', async (_name, url, code) => {
      expectFieldErrors(await create({ url, code }), ['/url']);
      await expectNoLink(code);
    });
  });

  describe('refused codes', () => {
    it.each(['api', 'docs', 'API', 'healthz', 'openapi'])('answers 422 for the reserved code %s', async (code) => {
      expectFieldErrors(await create({ url: 'https://example.com/', code }), ['/code']);
      expect(await t.store.links.findByCode(code)).toBeNull();
    });

    it.each(['a b', 'ab', 'näme', 'a/b', 'dot.ted', 'x'.repeat(65)])('answers 422 for the custom code %j', async (code) => {
      expectFieldErrors(await create({ url: 'https://example.com/', code }), ['/code']);
    });

    it('answers 409 for a custom code that is taken, leaving the existing link alone', async () => {
      const before = await t.store.links.findByCode('facet');
      const res = await create({ url: 'https://example.com/hijack', code: 'facet' });
      expectProblem(t.registry, res, 409, 'code-taken');
      expect(await t.store.links.findByCode('facet')).toEqual(before);
    });
  });

  describe('refused requests', () => {
    it('answers 406 for Accept: text/plain and creates no link', async () => {
      const before = await request(t.app).get('/api/links?limit=100').set('Authorization', bearer(KEYS.other)).set('Accept', SUMMARY);
      const res = await create({ url: 'https://example.com/unwanted', code: 'unwanted' }, { Authorization: bearer(KEYS.other), Accept: 'text/plain' });
      const body = expectProblem(t.registry, res, 406, 'not-acceptable');
      expect(body.acceptable).toEqual(expect.arrayContaining([...VENDOR_TYPES]));
      expectNegotiatedVary(res);
      await expectNoLink('unwanted');
      const after = await request(t.app).get('/api/links?limit=100').set('Authorization', bearer(KEYS.other)).set('Accept', SUMMARY);
      expect(expectValidBody(t.registry, after, 'link-page').items).toEqual(expectValidBody(t.registry, before, 'link-page').items);
    });

    it('answers 401 with a Bearer challenge without a key and creates no link', async () => {
      const res = await request(t.app).post('/api/links').set('Content-Type', 'application/json')
        .send(JSON.stringify({ url: 'https://example.com/anon', code: 'anonymous' }));
      expectProblem(t.registry, res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
      await expectNoLink('anonymous');
    });

    it('answers 401 for a bad key and creates no link', async () => {
      const res = await create({ url: 'https://example.com/bad-key', code: 'bad-key' }, { Authorization: bearer('nope') });
      expectProblem(t.registry, res, 401, 'invalid-key');
      await expectNoLink('bad-key');
    });
  });

  describe('with text no store can hold', () => {
    it.each([
      ['a NUL in the title', '{"url":"https://example.com/nul","code":"nul-title","title":"a\\u0000b"}', ['/title']],
      ['a control character in a tag', '{"url":"https://example.com/ctl","code":"ctl-tag","tags":["ok","bell\\u0007"]}', ['/tags/1']],
      ['an unpaired surrogate in the title', '{"url":"https://example.com/sur","code":"lone-sur","title":"x\\ud800y"}', ['/title']],
    ])('answers 422 naming the field for %s, and stores nothing', async (_name, body, pointers) => {
      const res = await create(body);
      expectFieldErrors(res, pointers);
      await expectNoLink(JSON.parse(body).code as string);
    });

    it('keeps a paired surrogate (an emoji) as sent', async () => {
      const res = await create({ url: 'https://example.com/emoji', code: 'emoji-ok', title: 'launch \u{1F680}' });
      expect(res.status).toBe(201);
      expect(expectValidBody(t.registry, res, 'link').title).toBe('launch \u{1F680}');
    });
  });
});

