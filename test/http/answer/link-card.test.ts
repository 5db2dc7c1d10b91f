import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { createLinkCards } from '../../../src/http/answer/link-card';
import { createTestApp, FIXED_NOW, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { bearer, expectNegotiatedVary, expectRepresentationHeaders, VENDOR_TYPES } from '../http-expect';

const PUBLIC = 'public, max-age=60';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** Fetches the public card of `code` with these request headers. */
function card(code: string, headers: Record<string, string> = {}) {
  const req = request(t.app).get(`/api/links/${code}`);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  return req;
}

/** Spec-style helper: whenAccept(accept, headers).chooses(type) / .refuses(). */
function whenAccept(accept: string | undefined, headers: Record<string, string> = {}) {
  const all = accept === undefined ? headers : { ...headers, Accept: accept };
  return {
    async chooses(type: VendorType) {
      const res = await card('facet', all);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expectValidBody(t.registry, res, 'link');
    },
    async refuses() {
      const res = await card('facet', all);
      const body = expectProblem(t.registry, res, 406, 'not-acceptable');
      expect(body.acceptable).toEqual(expect.arrayContaining([...VENDOR_TYPES]));
      expectNegotiatedVary(res);
    },
  };
}

describe('GET /api/links/:code', () => {
  describe('representations', () => {
    it.each(VENDOR_TYPES)('serves %s with its exact Content-Type, Vary, a strong ETag, alternates and public caching', async (type) => {
      const res = await card('facet', { Accept: type });
      expect(res.status).toBe(200);
      expectRepresentationHeaders(res, type, { cacheControl: PUBLIC, path: '/api/links/facet' });
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expectValidBody(t.registry, res, 'link');
    });

    it('gives each representation its own ETag', async () => {
      const etags = await Promise.all(VENDOR_TYPES.map(async (type) => (await card('facet', { Accept: type })).headers.etag as string));
      expect(new Set(etags).size).toBe(VENDOR_TYPES.length);
    });

    it('answers identical requests with the same ETag', async () => {
      const first = await card('facet', { Accept: SUMMARY });
      const second = await card('facet', { Accept: SUMMARY });
      expectValidBody(t.registry, first, 'link');
      expectValidBody(t.registry, second, 'link');
      expect(second.headers.etag).toBe(first.headers.etag);
    });

    it('shows the same link in each representation under its own field names', async () => {
      const [full, summary, partner, partnerV4] = await Promise.all(VENDOR_TYPES.map((type) => card('rfc9110', { Accept: type })));
      const f = expectValidBody(t.registry, full!, 'link');
      const s = expectValidBody(t.registry, summary!, 'link');
      const p = expectValidBody(t.registry, partner!, 'link');
      const p4 = expectValidBody(t.registry, partnerV4!, 'link');
      expect(s).toEqual({ code: 'rfc9110', shortUrl: f.shortUrl, url: f.url, clicks: f.clicks });
      expect(p.id).toBe('rfc9110');
      expect(p.long_url).toBe(f.url);
      expect(p.short_url).toBe(f.shortUrl);
      expect(p.click_count).toBe(f.clicks);
      expect(p.created_at).toBe(Math.floor(Date.parse(f.createdAt as string) / 1000));
      // partner.v4 is partner.v3, member for member and in order, then three more.
      expect(p4).toEqual({ ...p, tags: f.tags, status: f.status, updated_at: Math.floor(Date.parse(f.updatedAt as string) / 1000) });
      expect(Object.keys(p4)).toEqual([...Object.keys(p), 'tags', 'status', 'updated_at']);
    });

    it('marks an expired link as expired in the full card', async () => {
      const res = await card('demo49', { Accept: FULL });
      const body = expectValidBody(t.registry, res, 'link');
      expect(res.status).toBe(200);
      expect(body.status).toBe('expired');
      expect(Date.parse(body.expiresAt as string)).toBeLessThanOrEqual(FIXED_NOW.getTime());
    });
  });

  describe('default representation for generic ranges', () => {
    it.each([
      ['ios', SUMMARY],
      ['android', SUMMARY],
      ['web', FULL],
      ['iOS', SUMMARY],
      ['tv', FULL],
    ] as const)('chooses by X-Client-Platform %s for Accept */*', async (platform, type) => {
      await whenAccept('*/*', { 'X-Client-Platform': platform }).chooses(type);
    });

    it('serves full when neither Accept nor X-Client-Platform is sent', async () => {
      await whenAccept(undefined).chooses(FULL);
    });

    it('serves the platform default when Accept is missing', async () => {
      await whenAccept(undefined, { 'X-Client-Platform': 'android' }).chooses(SUMMARY);
    });

    it.each(['*/*', 'application/*', 'application/json', 'application/*+json'])(
      'pins a partner key to partner.v3 for %s',
      async (accept) => {
        await whenAccept(accept, { Authorization: bearer(KEYS.partner) }).chooses(PARTNER_V3);
      },
    );

    it('keeps the partner pin even when the caller claims a mobile platform', async () => {
      await whenAccept('*/*', { Authorization: bearer(KEYS.partner), 'X-Client-Platform': 'ios' }).chooses(PARTNER_V3);
    });

    it.each(['*/*', 'application/*', 'application/json', 'application/*+json'])(
      'never chooses partner.v3 for a non-partner sending %s',
      async (accept) => {
        await whenAccept(accept).chooses(FULL);
        await whenAccept(accept, { Authorization: bearer(KEYS.user) }).chooses(FULL);
        await whenAccept(accept, { 'X-Client-Platform': 'ios' }).chooses(SUMMARY);
      },
    );

    it('lets a partner key ask for a first-party type by name', async () => {
      await whenAccept(SUMMARY, { Authorization: bearer(KEYS.partner) }).chooses(SUMMARY);
    });

    it('serves partner.v3 to a non-partner who names it', async () => {
      await whenAccept(PARTNER_V3).chooses(PARTNER_V3);
      await whenAccept(`${PARTNER_V3};q=0.5, */*;q=0.1`, { Authorization: bearer(KEYS.user) }).chooses(PARTNER_V3);
    });

    it('prefers the default over a lower-weighted partner.v3 for a non-partner', async () => {
      await whenAccept(`${PARTNER_V3};q=0.2, */*`).chooses(FULL);
    });
  });

  describe('explicit Accept', () => {
    it('compares media types case-insensitively and tolerates a charset parameter', async () => {
      await whenAccept('Application/VND.Example.Summary+JSON').chooses(SUMMARY);
      await whenAccept(`${SUMMARY}; charset=utf-8`).chooses(SUMMARY);
    });

    it('honours q between vendor types', async () => {
      await whenAccept(`${SUMMARY};q=0.3, ${FULL};q=0.8`).chooses(FULL);
    });

    it('answers 406 listing the acceptable types when only text/plain is accepted', async () => {
      await whenAccept('text/plain').refuses();
    });

    it('answers 406 when every offered type is refused with q=0', async () => {
      await whenAccept(`${FULL};q=0, ${SUMMARY};q=0, ${PARTNER_V3};q=0, ${PARTNER_V4};q=0`).refuses();
    });

    it('answers 406 for a vendor type with an unknown parameter', async () => {
      await whenAccept(`${SUMMARY}; version=2`).refuses();
    });

    it('answers 406 for an unknown code too: negotiation comes before the lookup', async () => {
      const res = await card('no-such-link', { Accept: 'text/plain' });
      expectProblem(t.registry, res, 406, 'not-acceptable');
    });
  });

  describe('errors', () => {
    it('answers 404 problem+json for an unknown code', async () => {
      const res = await card('no-such-link', { Accept: SUMMARY });
      const body = expectProblem(t.registry, res, 404, 'not-found');
      expect(body.instance).toBe('/api/links/no-such-link');
    });

    it.each(['a.b', 'ab', 'x'.repeat(65), '%F0%9F%98%80', 'fac%20et'])('answers 404 for the impossible code %s', async (code) => {
      const res = await card(code, { Accept: SUMMARY });
      expectProblem(t.registry, res, 404, 'not-found');
    });

    it('answers 401 to a bad key even on the public card, so a client notices its broken key', async () => {
      const res = await card('facet', { Authorization: bearer('not-a-key') });
      expectProblem(t.registry, res, 401, 'invalid-key');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    });
  });

  describe('HEAD', () => {
    it('answers the same headers as GET and no body', async () => {
      const get = await card('facet', { Accept: SUMMARY });
      const head = await request(t.app).head('/api/links/facet').set('Accept', SUMMARY);
      expectValidBody(t.registry, get, 'link');
      expect(head.status).toBe(200);
      expectValidBody(t.registry, head, 'link');
      expectRepresentationHeaders(head, SUMMARY, { cacheControl: PUBLIC, path: '/api/links/facet' });
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
    });

    it('answers 404 with no body for an unknown code', async () => {
      const res = await request(t.app).head('/api/links/no-such-link');
      expect(res.status).toBe(404);
      expectValidBody(t.registry, res);
    });
  });
});

describe('GET /api/links/:code conditionally', () => {
  /** The current ETag of `code` in `type`. */
  async function etagOf(code: string, type: VendorType): Promise<string> {
    const res = await card(code, { Accept: type });
    expectValidBody(t.registry, res, 'link');
    return res.headers.etag as string;
  }

  it('answers 304 with no body, keeping ETag, Vary and Cache-Control, when If-None-Match holds the current ETag', async () => {
    const etag = await etagOf('rfc9111', FULL);
    const res = await card('rfc9111', { Accept: FULL, 'If-None-Match': etag });
    expect(res.status).toBe(304);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.etag).toBe(etag);
    expectNegotiatedVary(res);
    expect(res.headers['cache-control']).toBe(PUBLIC);
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('matches the weak form W/"…" of the current ETag (weak comparison, RFC 9110 §13.1.2)', async () => {
    const etag = await etagOf('rfc9111', SUMMARY);
    const res = await card('rfc9111', { Accept: SUMMARY, 'If-None-Match': `W/${etag}` });
    expect(res.status).toBe(304);
    expectValidBody(t.registry, res, 'link');
  });

  it('matches when the current ETag is one member of a list', async () => {
    const etag = await etagOf('rfc9111', PARTNER_V3);
    const res = await card('rfc9111', { Accept: PARTNER_V3, 'If-None-Match': `"stale-one", ${etag}, W/"another"` });
    expect(res.status).toBe(304);
    expectValidBody(t.registry, res, 'link');
  });

  it('matches * whenever the link exists', async () => {
    const res = await card('rfc9111', { Accept: SUMMARY, 'If-None-Match': '*' });
    expect(res.status).toBe(304);
    expectValidBody(t.registry, res, 'link');
  });

  it('answers 200 when If-None-Match holds the ETag of another representation', async () => {
    const summaryEtag = await etagOf('rfc9111', SUMMARY);
    const res = await card('rfc9111', { Accept: FULL, 'If-None-Match': summaryEtag });
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.etag).not.toBe(summaryEtag);
  });

  it('answers 200 when If-None-Match holds only unknown ETags', async () => {
    const res = await card('rfc9111', { Accept: FULL, 'If-None-Match': '"nope", W/"nope-either"' });
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
  });

  it('answers 304 to a conditional HEAD', async () => {
    const etag = await etagOf('rfc9111', SUMMARY);
    const res = await request(t.app).head('/api/links/rfc9111').set('Accept', SUMMARY).set('If-None-Match', etag);
    expect(res.status).toBe(304);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.etag).toBe(etag);
  });

  it('changes every representation\'s ETag after a PATCH, so the old one no longer gives 304', async () => {
    const before = await Promise.all(VENDOR_TYPES.map((type) => etagOf('rfc9457', type)));
    const patch = await request(t.app)
      .patch('/api/links/rfc9457')
      .set('Authorization', bearer(KEYS.user))
      .set('Accept', FULL)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ title: 'Problem Details, revised' }));
    expect(patch.status).toBe(200);
    expectValidBody(t.registry, patch, 'link');
    const after = await Promise.all(VENDOR_TYPES.map((type) => etagOf('rfc9457', type)));
    VENDOR_TYPES.forEach((_type, i) => expect(after[i]).not.toBe(before[i]));
    const res = await card('rfc9457', { Accept: FULL, 'If-None-Match': before[0]! });
    expect(res.status).toBe(200);
    const body = expectValidBody(t.registry, res, 'link');
    expect(body.title).toBe('Problem Details, revised');
  });
});

describe('GET /api/links/:code as time passes', () => {
  const HOUR = 3_600_000;
  let clock = FIXED_NOW;
  let timed: TestApp;
  beforeAll(async () => { timed = await createTestApp({ now: () => clock }); });
  afterAll(async () => { await timed.close(); });

  /** Creates a link that expires an hour after FIXED_NOW and returns its full card's ETag, read while it is active. */
  async function linkExpiringInAnHour(code: string): Promise<string> {
    clock = FIXED_NOW;
    const created = await request(timed.app)
      .post('/api/links')
      .set('Authorization', bearer(KEYS.user))
      .set('Accept', FULL)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ url: `https://example.com/${code}`, code, expiresAt: new Date(FIXED_NOW.getTime() + HOUR).toISOString() }));
    expect(created.status).toBe(201);
    expectValidBody(timed.registry, created, 'link');
    const before = await request(timed.app).get(`/api/links/${code}`).set('Accept', FULL);
    expect(expectValidBody(timed.registry, before, 'link').status).toBe('active');
    return before.headers.etag as string;
  }

  it('reports a link as expired once its expiry has passed', async () => {
    await linkExpiringInAnHour('soon-gone');
    clock = new Date(FIXED_NOW.getTime() + 2 * HOUR);
    const after = await request(timed.app).get('/api/links/soon-gone').set('Accept', FULL);
    expect(after.status).toBe(200);
    expect(expectValidBody(timed.registry, after, 'link').status).toBe('expired');
    const v4 = await request(timed.app).get('/api/links/soon-gone').set('Accept', PARTNER_V4);
    expect(expectValidBody(timed.registry, v4, 'link').status).toBe('expired');
  });

  it('gives the card a new ETag once its expiry has passed, so a revalidating client sees the change', async () => {
    const activeEtag = await linkExpiringInAnHour('soon-gone-2');
    clock = new Date(FIXED_NOW.getTime() + 2 * HOUR);
    // The representation changed (status), so its strong validator must change too (RFC 9110 §8.8.3).
    const res = await request(timed.app).get('/api/links/soon-gone-2').set('Accept', FULL).set('If-None-Match', activeEtag);
    expect(res.status).toBe(200);
    expectValidBody(timed.registry, res, 'link');
    expect(res.headers.etag).not.toBe(activeEtag);
  });
});

describe('the card ETag', () => {
  it('changes with the public base URL, which is in the card\'s bytes', async () => {
    const link = (await t.store.links.findByCode('facet'))!;
    const cardsAt = (baseUrl: string) => createLinkCards({ registry: t.registry, baseUrl, publicMaxAge: 60, now: () => FIXED_NOW, cacheBytes: 0 });
    const here = cardsAt('http://localhost:3000').answer(link, FULL);
    const there = cardsAt('https://sho.rt').answer(link, FULL);
    expect(there.body.equals(here.body)).toBe(false);
    expect(there.etag).not.toBe(here.etag);
    expect(cardsAt('https://sho.rt').answer(link, FULL).etag).toBe(there.etag);
  });
});
