import request from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer, expectRepresentationHeaders } from './http-expect';

const PRIVATE = 'private, no-cache';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

let serial = 0;
/** Creates a fresh link of Ada's for one test; returns its code. */
async function adaLink(fields: Record<string, unknown> = {}): Promise<string> {
  serial += 1;
  const code = `upd-${serial}`;
  const res = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ url: `https://example.com/${code}`, code, title: 'Original', tags: ['keep'], ...fields }));
  expect(res.status).toBe(201);
  expectValidBody(t.registry, res, 'link');
  return code;
}

/** PATCH /api/links/:code as Ada with a JSON body, overridable headers. */
function patch(code: string, body: unknown, headers: Record<string, string> = {}) {
  const req = request(t.app).patch(`/api/links/${code}`);
  const all = { Authorization: bearer(KEYS.user), Accept: FULL, 'Content-Type': 'application/json', ...headers };
  for (const [name, value] of Object.entries(all)) req.set(name, value);
  return req.send(JSON.stringify(body));
}

/** The public card of `code` in `type`: its validated body and ETag. */
async function card(code: string, type: VendorType = FULL): Promise<{ body: Record<string, unknown>; etag: string }> {
  const res = await request(t.app).get(`/api/links/${code}`).set('Accept', type);
  expect(res.status).toBe(200);
  return { body: expectValidBody(t.registry, res, 'link'), etag: res.headers.etag as string };
}

/** Asserts a 422 whose `errors` name exactly these JSON Pointers. */
function expectFieldErrors(res: request.Response, pointers: string[]): void {
  const body = expectProblem(t.registry, res, 422, 'validation-failed');
  expect((body.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual([...pointers].sort());
}

describe('PATCH /api/links/:code', () => {
  describe('bodies', () => {
    it('applies an application/json change and answers the negotiated representation', async () => {
      const code = await adaLink();
      const res = await patch(code, { title: 'Renamed', tags: ['x', 'y'] });
      expect(res.status).toBe(200);
      expectRepresentationHeaders(res, FULL, { cacheControl: PRIVATE, path: `/api/links/${code}` });
      const body = expectValidBody(t.registry, res, 'link');
      expect(body).toMatchObject({ code, title: 'Renamed', tags: ['x', 'y'], url: `https://example.com/${code}` });
      expect((await card(code)).body).toEqual(body);
    });

    it('answers with the ETag a later GET of the same representation shows', async () => {
      const code = await adaLink();
      const res = await patch(code, { title: 'Chained' }, { Accept: SUMMARY });
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'link');
      expect(res.headers.etag).toBe((await card(code, SUMMARY)).etag);
    });

    it('applies an application/merge-patch+json change, leaving absent fields alone', async () => {
      const code = await adaLink();
      const res = await patch(code, { url: 'https://example.org/moved' }, { 'Content-Type': 'application/merge-patch+json' });
      expect(res.status).toBe(200);
      const body = expectValidBody(t.registry, res, 'link');
      expect(body).toMatchObject({ url: 'https://example.org/moved', title: 'Original', tags: ['keep'] });
    });

    it('clears the title when it is set to null', async () => {
      const code = await adaLink();
      const res = await patch(code, { title: null }, { 'Content-Type': 'application/merge-patch+json' });
      expect(res.status).toBe(200);
      expect(expectValidBody(t.registry, res, 'link').title).toBeNull();
      expect((await card(code)).body.title).toBeNull();
    });

    it('clears the expiry when expiresAt is set to null', async () => {
      const code = await adaLink({ expiresAt: new Date(FIXED_NOW.getTime() + 86_400_000).toISOString() });
      const res = await patch(code, { expiresAt: null });
      expect(res.status).toBe(200);
      expect(expectValidBody(t.registry, res, 'link').expiresAt).toBeNull();
    });

    it('applies a partner.v3 body, read in partner field names', async () => {
      const code = await adaLink();
      const expiresAt = Math.floor(FIXED_NOW.getTime() / 1000) + 3600;
      const res = await patch(code, { long_url: 'https://example.net/partner', title: 'Partner title', expires_at: expiresAt }, { 'Content-Type': PARTNER_V3, Accept: PARTNER_V3 });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(PARTNER_V3);
      expect(expectValidBody(t.registry, res, 'link')).toMatchObject({ id: code, long_url: 'https://example.net/partner', title: 'Partner title', expires_at: expiresAt });
    });

    it('lets the partner account change its own link, answering in partner.v3 for */*', async () => {
      const res = await patch('demo40', { title: 'Acme edit' }, { Authorization: bearer(KEYS.partner), 'Content-Type': PARTNER_V3, Accept: '*/*' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(PARTNER_V3);
      expect(expectValidBody(t.registry, res, 'link').title).toBe('Acme edit');
    });

    it.each([
      ['an empty object', {}, ['/']],
      ['an unknown field', { code: 'renamed' }, ['/code']],
      ['a non-string url', { url: 5 }, ['/url']],
      ['a javascript: url', { url: 'javascript:alert(1)' }, ['/url']],
      ['a url at this service', { url: 'http://127.0.0.1:3000/facet' }, ['/url']],
      ['an expiresAt in the past', { expiresAt: new Date(FIXED_NOW.getTime() - 1000).toISOString() }, ['/expiresAt']],
    ])('answers 422 for %s and changes nothing', async (_name, body, pointers) => {
      const code = await adaLink();
      const before = await card(code);
      expectFieldErrors(await patch(code, body), pointers);
      expect(await card(code)).toEqual(before);
    });

    it.each([
      ['a leap second', 'application/json', { expiresAt: '2031-06-30T23:59:60Z' }, '/expiresAt'],
      ['an epoch beyond the last representable date', PARTNER_V3, { expires_at: 8_640_000_000_001 }, '/expires_at'],
    ])('answers 422 for an expiry that is not a representable date (%s) and keeps the existing expiry', async (_name, type, body, pointer) => {
      const code = await adaLink({ expiresAt: new Date(FIXED_NOW.getTime() + 86_400_000).toISOString() });
      const before = await card(code);
      expectFieldErrors(await patch(code, body, { 'Content-Type': type }), [pointer]);
      expect(await card(code)).toEqual(before);
      expect(before.body.expiresAt).not.toBeNull();
    });

    it('names bad fields of a partner.v3 body in partner terms', async () => {
      const code = await adaLink();
      const headers = { 'Content-Type': PARTNER_V3 };
      expectFieldErrors(await patch(code, { url: 'https://example.com/' }, headers), ['/url']);
      expectFieldErrors(await patch(code, { long_url: 'data:text/plain,hi' }, headers), ['/long_url']);
      expectFieldErrors(await patch(code, { expires_at: Math.floor(FIXED_NOW.getTime() / 1000) - 1 }, headers), ['/expires_at']);
    });

    it('answers 415 for text/plain and 400 for malformed JSON', async () => {
      const code = await adaLink();
      const unsupported = await patch(code, { title: 'x' }, { 'Content-Type': 'text/plain' });
      expectProblem(t.registry, unsupported, 415, 'unsupported-media-type');
      expect(unsupported.headers['accept-patch']).toContain('application/merge-patch+json');
      const malformed = await request(t.app).patch(`/api/links/${code}`).set('Authorization', bearer(KEYS.user))
        .set('Content-Type', 'application/json').send('{"title": ');
      expectProblem(t.registry, malformed, 400, 'malformed-json');
    });

    it('answers 406 for Accept: text/plain and changes nothing', async () => {
      const code = await adaLink();
      const before = await card(code);
      const res = await patch(code, { title: 'Unseen' }, { Accept: 'text/plain' });
      expectProblem(t.registry, res, 406, 'not-acceptable');
      expect(await card(code)).toEqual(before);
    });
  });

  describe('ownership', () => {
    it.each([
      ['another user', KEYS.other],
      ['the partner account', KEYS.partner],
    ])('answers 404, not 403, when %s patches Ada\'s link, and changes nothing', async (_name, key) => {
      const code = await adaLink();
      const before = await card(code);
      const res = await patch(code, { title: 'Hijacked' }, { Authorization: bearer(key) });
      expectProblem(t.registry, res, 404, 'not-found');
      expect(await card(code)).toEqual(before);
    });

    it('answers 404 for an unknown code', async () => {
      expectProblem(t.registry, await patch('no-such-link', { title: 'x' }), 404, 'not-found');
    });

    it('answers 401 with a Bearer challenge without a key', async () => {
      const code = await adaLink();
      const res = await request(t.app).patch(`/api/links/${code}`).set('Content-Type', 'application/json').send(JSON.stringify({ title: 'x' }));
      expectProblem(t.registry, res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    });
  });

  describe('If-Match', () => {
    it('answers 412 for a stale ETag and changes nothing', async () => {
      const code = await adaLink();
      const stale = (await card(code)).etag;
      expect((await patch(code, { title: 'First writer' })).status).toBe(200);
      const current = await card(code);
      const res = await patch(code, { title: 'Second writer' }, { 'If-Match': stale });
      expectProblem(t.registry, res, 412, 'precondition-failed');
      expect(await card(code)).toEqual(current);
      expect(current.body.title).toBe('First writer');
    });

    it('applies the change when If-Match holds the current ETag', async () => {
      const code = await adaLink();
      const { etag } = await card(code);
      const res = await patch(code, { title: 'Guarded' }, { 'If-Match': etag });
      expect(res.status).toBe(200);
      expect(expectValidBody(t.registry, res, 'link').title).toBe('Guarded');
    });

    it('accepts the current ETag of any representation of the link', async () => {
      const code = await adaLink();
      const { etag } = await card(code, PARTNER_V3);
      const res = await patch(code, { title: 'Via partner ETag' }, { 'If-Match': `"stale", ${etag}` });
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'link');
    });

    it('applies the change for If-Match: *', async () => {
      const code = await adaLink();
      const res = await patch(code, { title: 'Any version' }, { 'If-Match': '*' });
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'link');
    });

    it('answers 412 for a weak ETag: If-Match uses the strong comparison (RFC 9110 §13.1.1)', async () => {
      const code = await adaLink();
      const before = await card(code);
      const res = await patch(code, { title: 'Weakly guarded' }, { 'If-Match': `W/${before.etag}` });
      expectProblem(t.registry, res, 412, 'precondition-failed');
      expect(await card(code)).toEqual(before);
    });
  });
});

describe('DELETE /api/links/:code', () => {
  /** DELETE as `key` with extra headers. */
  function remove(code: string, key: string = KEYS.user, headers: Record<string, string> = {}) {
    const req = request(t.app).delete(`/api/links/${code}`).set('Authorization', bearer(key));
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req;
  }

  it('answers 204 with no body, after which the card, the redirect and the listing no longer know the link', async () => {
    const code = await adaLink();
    const res = await remove(code);
    expect(res.status).toBe(204);
    expectValidBody(t.registry, res);
    expectProblem(t.registry, await request(t.app).get(`/api/links/${code}`).set('Accept', FULL), 404, 'not-found');
    expectProblem(t.registry, await request(t.app).get(`/${code}`), 404, 'not-found');
    const listing = await request(t.app).get('/api/links?limit=100').set('Authorization', bearer(KEYS.user)).set('Accept', SUMMARY);
    const codes = (expectValidBody(t.registry, listing, 'link-page').items as { code: string }[]).map((l) => l.code);
    expect(codes).not.toContain(code);
    expect(codes).toContain('facet');
  });

  it('answers 404 the second time', async () => {
    const code = await adaLink();
    expect((await remove(code)).status).toBe(204);
    expectProblem(t.registry, await remove(code), 404, 'not-found');
  });

  it.each([
    ['another user', KEYS.other],
    ['the partner account', KEYS.partner],
  ])('answers 404, not 403, when %s deletes Ada\'s link, and keeps it', async (_name, key) => {
    const code = await adaLink();
    expectProblem(t.registry, await remove(code, key), 404, 'not-found');
    await card(code);
  });

  it('answers 412 for a stale If-Match and keeps the link', async () => {
    const code = await adaLink();
    const stale = (await card(code)).etag;
    expect((await patch(code, { title: 'Changed meanwhile' })).status).toBe(200);
    expectProblem(t.registry, await remove(code, KEYS.user, { 'If-Match': stale }), 412, 'precondition-failed');
    expect((await card(code)).body.title).toBe('Changed meanwhile');
  });

  it('deletes when If-Match holds the current ETag', async () => {
    const code = await adaLink();
    const { etag } = await card(code, SUMMARY);
    const res = await remove(code, KEYS.user, { 'If-Match': etag });
    expect(res.status).toBe(204);
    expectValidBody(t.registry, res);
    expect(await t.store.links.findByCode(code)).toBeNull();
  });

  it('answers 401 with a Bearer challenge without a key, and keeps the link', async () => {
    const code = await adaLink();
    const res = await request(t.app).delete(`/api/links/${code}`);
    expectProblem(t.registry, res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    await card(code);
  });

  it('gives a code that is deleted and created again a new ETag, so no client keeps the old link', async () => {
    const code = await adaLink();
    const old = await card(code, SUMMARY);
    expect((await remove(code)).status).toBe(204);
    const again = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', SUMMARY)
      .set('Content-Type', 'application/json').send(JSON.stringify({ url: 'https://example.com/second-life', code }));
    expect(again.status).toBe(201);
    expectValidBody(t.registry, again, 'link');
    const res = await request(t.app).get(`/api/links/${code}`).set('Accept', SUMMARY).set('If-None-Match', old.etag);
    expect(res.status).toBe(200);
    expect(expectValidBody(t.registry, res, 'link').url).toBe('https://example.com/second-life');
  });

  it('answers 404 for an unknown code and for an impossible one', async () => {
    expectProblem(t.registry, await remove('no-such-link'), 404, 'not-found');
    expectProblem(t.registry, await remove('a.b'), 404, 'not-found');
  });
});

describe('If-Match and clicks', () => {
  it('accepts an ETag read before a click: a visit is not an edit', async () => {
    const app = await createTestApp();
    try {
      const card = await request(app.app).get('/api/links/rfc9111').set('Accept', 'application/vnd.example.full+json');
      expectValidBody(app.registry, card, 'link');
      const visit = await request(app.app).get('/rfc9111');
      expectValidBody(app.registry, visit);
      await app.clicks.flush();
      const after = await request(app.app).get('/api/links/rfc9111').set('Accept', 'application/vnd.example.full+json');
      expectValidBody(app.registry, after, 'link');
      expect(after.headers.etag).not.toBe(card.headers.etag);
      const res = await request(app.app).patch('/api/links/rfc9111')
        .set('Authorization', `Bearer ${KEYS.user}`).set('Content-Type', 'application/json').set('If-Match', card.headers.etag as string)
        .send(JSON.stringify({ title: 'after a click' }));
      expect(res.status).toBe(200);
      expect(expectValidBody(app.registry, res, 'link').title).toBe('after a click');
    } finally {
      await app.close();
    }
  });
});
