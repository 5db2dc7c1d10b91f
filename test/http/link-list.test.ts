import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { BASE_URL, createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer, expectNegotiatedVary, expectRepresentationHeaders, linkValues, VENDOR_TYPES } from './http-expect';

const PRIVATE = 'private, no-cache';

/** Ada's 40 seeded links (the fixture's documented codes). */
const ADA_CODES = [
  'facet', 'rfc9110', 'rfc9111', 'rfc9457', 'negotiator', 'bff', 'varnish', 'mdn-vary',
  ...Array.from({ length: 32 }, (_, i) => `demo${String(i + 8).padStart(2, '0')}`),
];
/** Acme's 10 seeded links. */
const ACME_CODES = Array.from({ length: 10 }, (_, i) => `demo${40 + i}`);

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** GET /api/links (or a path with a query) as `key`, asking for `type`. */
function list(key: string, type: VendorType | string, pathAndQuery = '/api/links') {
  return request(t.app).get(pathAndQuery).set('Authorization', bearer(key)).set('Accept', type);
}

interface CodesAndCursor { codes: string[]; cursor: string | null; body: Record<string, unknown> }

/** Reads the codes and the next cursor of a page in any representation. */
function pageOf(res: request.Response): CodesAndCursor {
  const body = expectValidBody(t.registry, res, 'link-page');
  if (res.headers['content-type'] === PARTNER_V3 || res.headers['content-type'] === PARTNER_V4) {
    return { codes: (body.data as { id: string }[]).map((l) => l.id), cursor: body.next_cursor as string | null, body };
  }
  return { codes: (body.items as { code: string }[]).map((l) => l.code), cursor: body.nextCursor as string | null, body };
}

/** The path and query of an absolute URL this service issued. */
function localPath(url: string): string {
  expect(url.startsWith(`${BASE_URL}/`)).toBe(true);
  return url.slice(BASE_URL.length);
}

describe('GET /api/links', () => {
  describe('authentication', () => {
    it('answers 401 with a Bearer challenge when no key is sent', async () => {
      const res = await request(t.app).get('/api/links').set('Accept', FULL);
      expectProblem(t.registry, res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    });

    it('answers 401 with a Bearer challenge for an unknown key', async () => {
      const res = await list('wrong_key', FULL);
      expectProblem(t.registry, res, 401, 'invalid-key');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    });

    it('answers 401 to a non-Bearer Authorization scheme', async () => {
      const res = await request(t.app).get('/api/links').set('Authorization', 'Basic ZGVtbzpkZW1v');
      expectProblem(t.registry, res, 401, 'invalid-key');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    });

    it('shows a user none of another user\'s links', async () => {
      const res = await list(KEYS.other, FULL);
      expect(res.status).toBe(200);
      const { codes, cursor } = pageOf(res);
      expect(codes).toEqual([]);
      expect(cursor).toBeNull();
    });

    it('shows the partner account only its own links', async () => {
      const res = await list(KEYS.partner, '*/*');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(PARTNER_V3);
      const { codes, body } = pageOf(res);
      expect([...codes].sort()).toEqual([...ACME_CODES].sort());
      expect(body.has_more).toBe(false);
    });
  });

  describe('representations', () => {
    it.each(VENDOR_TYPES)('serves %s with its exact Content-Type, Vary, an ETag, alternates and private caching', async (type) => {
      const res = await list(KEYS.user, type);
      expect(res.status).toBe(200);
      expectRepresentationHeaders(res, type, { cacheControl: PRIVATE, path: '/api/links' });
      expectValidBody(t.registry, res, 'link-page');
    });

    it('answers 406 listing the acceptable types when only text/plain is accepted', async () => {
      const res = await list(KEYS.user, 'text/plain');
      const body = expectProblem(t.registry, res, 406, 'not-acceptable');
      expect(body.acceptable).toEqual(expect.arrayContaining([...VENDOR_TYPES]));
      expectNegotiatedVary(res);
    });

    it('answers 304 when If-None-Match holds the page\'s ETag', async () => {
      const first = await list(KEYS.user, SUMMARY);
      expectValidBody(t.registry, first, 'link-page');
      const res = await list(KEYS.user, SUMMARY).set('If-None-Match', first.headers.etag as string);
      expect(res.status).toBe(304);
      expectValidBody(t.registry, res, 'link-page');
      expect(res.headers['cache-control']).toBe(PRIVATE);
      expectNegotiatedVary(res);
    });
  });

  describe('page sizes', () => {
    it('puts 20 links on a summary page and points at the next one', async () => {
      const res = await list(KEYS.user, SUMMARY);
      const { codes, cursor } = pageOf(res);
      expect(codes).toHaveLength(20);
      expect(cursor).toEqual(expect.any(String));
    });

    it('puts up to 50 links on a full page: all 40 of Ada\'s, with no next page', async () => {
      const res = await list(KEYS.user, FULL);
      const { codes, cursor, body } = pageOf(res);
      expect(body.pageSize).toBe(50);
      expect([...codes].sort()).toEqual([...ADA_CODES].sort());
      expect(cursor).toBeNull();
      expect((body.links as { next: unknown }).next).toBeNull();
      expect(linkValues(res).some((l) => l.params.rel === 'next')).toBe(false);
    });

    it.each([PARTNER_V3, PARTNER_V4])('puts 25 links on a %s page with has_more and next_cursor, then the remaining 15', async (type) => {
      const first = pageOf(await list(KEYS.user, type));
      expect(first.codes).toHaveLength(25);
      expect(first.body.has_more).toBe(true);
      expect(first.cursor).toEqual(expect.any(String));

      const second = pageOf(await list(KEYS.user, type, `/api/links?cursor=${encodeURIComponent(first.cursor!)}`));
      expect(second.codes).toHaveLength(15);
      expect(second.body.has_more).toBe(false);
      expect(second.cursor).toBeNull();
      expect(new Set([...first.codes, ...second.codes]).size).toBe(40);
    });
  });

  describe('walking the cursor', () => {
    it('visits each of Ada\'s 40 links exactly once, newest first', async () => {
      const visited: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const path: string = cursor === null ? '/api/links' : `/api/links?cursor=${encodeURIComponent(cursor)}`;
        const page = pageOf(await list(KEYS.user, SUMMARY, path));
        visited.push(...page.codes);
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(2);
      expect(visited).toHaveLength(40);
      expect([...visited].sort()).toEqual([...ADA_CODES].sort());

      // Newest first: the order of the walk is that of createdAt, descending.
      const full = pageOf(await list(KEYS.user, FULL));
      const createdAt = new Map((full.body.items as { code: string; createdAt: string }[]).map((l) => [l.code, Date.parse(l.createdAt)]));
      const times = visited.map((code) => createdAt.get(code)!);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(visited[0]).toBe('demo39');
      expect(visited[39]).toBe('facet');
    });

    it('visits every link exactly once in pages of 7, following links.next and the Link rel="next"', async () => {
      const visited: string[] = [];
      let path: string | null = '/api/links?limit=7';
      let pages = 0;
      while (path !== null && pages < 20) {
        const res = await list(KEYS.user, FULL, path);
        const { codes, body } = pageOf(res);
        expect(codes.length).toBeLessThanOrEqual(7);
        visited.push(...codes);
        const next = (body.links as { next: string | null }).next;
        const relNext = linkValues(res).find((l) => l.params.rel === 'next');
        expect(relNext?.target ?? null).toBe(next);
        if (next !== null) expect(new URL(next).searchParams.get('limit')).toBe('7');
        path = next === null ? null : localPath(next);
        pages += 1;
      }
      expect(pages).toBe(6);
      expect(visited).toHaveLength(40);
      expect(new Set(visited).size).toBe(40);
    });
  });

  describe('query parameters', () => {
    it.each([1, 13, 100])('honours limit=%i', async (limit) => {
      const { codes, body } = pageOf(await list(KEYS.user, FULL, `/api/links?limit=${limit}`));
      expect(codes).toHaveLength(Math.min(limit, 40));
      expect(body.pageSize).toBe(limit);
    });

    it.each(['0', '101', 'abc', '-1', '1.5', '', '1e2'])('answers 400 for limit=%s', async (limit) => {
      const res = await list(KEYS.user, FULL, `/api/links?limit=${limit}`);
      expectProblem(t.registry, res, 400, 'invalid-query');
    });

    it('answers 400 for a repeated limit', async () => {
      const res = await list(KEYS.user, FULL, '/api/links?limit=5&limit=6');
      expectProblem(t.registry, res, 400, 'invalid-query');
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['base64 of garbage', Buffer.from('hello world').toString('base64url')],
      ['empty', ''],
      ['non-numeric position', Buffer.from('abc.def').toString('base64url')],
    ])('answers 400 for a forged cursor (%s)', async (_name, cursor) => {
      const res = await list(KEYS.user, FULL, `/api/links?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(t.registry, res, 400, 'invalid-cursor');
    });
  });
});

describe('GET /api/links while links are being created', () => {
  // Each test writes Grace's links and reads the whole listing, so each gets its own app.
  let fresh: TestApp;
  beforeEach(async () => { fresh = await createTestApp(); });
  afterEach(async () => { await fresh.close(); });

  /** Creates a link of Grace's; all are created at the same fixed instant. */
  async function createAsGrace(code: string): Promise<void> {
    const res = await request(fresh.app).post('/api/links').set('Authorization', bearer(KEYS.other)).set('Accept', SUMMARY)
      .set('Content-Type', 'application/json').send(JSON.stringify({ url: `https://example.com/${code}`, code }));
    expect(res.status).toBe(201);
    expectValidBody(fresh.registry, res, 'link');
  }

  /** Walks Grace's listing in pages of `limit`, calling `between` after the first page. */
  async function walk(limit: number, between: () => Promise<void> = async () => undefined): Promise<string[]> {
    const visited: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? `?limit=${limit}` : `?limit=${limit}&cursor=${encodeURIComponent(cursor)}`;
      const res = await request(fresh.app).get(`/api/links${query}`).set('Authorization', bearer(KEYS.other)).set('Accept', SUMMARY);
      const body = expectValidBody(fresh.registry, res, 'link-page');
      visited.push(...(body.items as { code: string }[]).map((l) => l.code));
      cursor = body.nextCursor as string | null;
      if (pages === 0) await between();
      pages += 1;
    } while (cursor !== null && pages < 20);
    return visited;
  }

  it('breaks ties of equal creation time by creation order, newest first, each link once', async () => {
    const codes = ['tie-a', 'tie-b', 'tie-c', 'tie-d', 'tie-e'];
    for (const code of codes) await createAsGrace(code);
    expect(await walk(2)).toEqual([...codes].reverse());
  });

  it('neither repeats nor skips older links when a new one is created mid-walk', async () => {
    const before = await walk(100);
    const visited = await walk(2, () => createAsGrace('mid-walk'));
    expect(visited).toEqual(before);
    expect((await walk(100))[0]).toBe('mid-walk');
  });
});
