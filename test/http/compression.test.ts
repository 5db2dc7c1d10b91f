import zlib from 'node:zlib';
import request from 'supertest';
import { FULL, SUMMARY } from '../../representations/media-types';
import { expectValidBody } from '../helpers/schema';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { bearer, expectNegotiatedVary, varyOf } from './http-expect';

// supertest decodes gzip and br itself: res.text is the JSON, Content-Length the encoded size.
describe('compressed answers (Accept-Encoding)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const dashboard = (type: string, encoding: string) => request(t.app).get('/api/dashboard')
    .set('Authorization', bearer(KEYS.user)).set('Accept', type).set('Accept-Encoding', encoding);

  it.each([['gzip', '-gz'], ['br', '-br']])('answers the full dashboard in %s with its own ETag and Vary: Accept-Encoding', async (encoding, suffix) => {
    const identity = await dashboard(FULL, 'identity');
    const res = await dashboard(FULL, encoding);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBeLessThan(Number(identity.headers['content-length']) / 4);
    expect(res.headers.etag).toBe(`${(identity.headers.etag as string).slice(0, -1)}${suffix}"`);
    for (const r of [res, identity]) {
      expectNegotiatedVary(r);
      expect(varyOf(r)).toContain('accept-encoding');
      expect(varyOf(r)).not.toContain('origin');
    }
    expect(expectValidBody(t.registry, res, 'dashboard')).toEqual(expectValidBody(t.registry, identity, 'dashboard'));
  });

  it('revalidates each encoding against its own ETag only', async () => {
    const gz = await dashboard(FULL, 'gzip');
    const identity = await dashboard(FULL, 'identity');
    const same = await dashboard(FULL, 'gzip').set('If-None-Match', gz.headers.etag as string);
    expect(same.status).toBe(304);
    expect(same.headers.etag).toBe(gz.headers.etag);
    expect(varyOf(same)).toContain('accept-encoding');
    expectValidBody(t.registry, same);
    const crossed = await dashboard(FULL, 'gzip').set('If-None-Match', identity.headers.etag as string);
    expect(crossed.status).toBe(200);
    const back = await dashboard(FULL, 'identity').set('If-None-Match', identity.headers.etag as string);
    expect(back.status).toBe(304);
  });

  it('prefers br, honours q=0 and answers identity when nothing is acceptable', async () => {
    expect((await dashboard(FULL, 'gzip, deflate, br')).headers['content-encoding']).toBe('br');
    expect((await dashboard(FULL, 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
    const none = await dashboard(FULL, 'identity;q=0, zstd');
    expect(none.status).toBe(200);
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('keeps a body under COMPRESS_MIN_BYTES identity, still varying on Accept-Encoding', async () => {
    const res = await request(t.app).get('/api/links/facet').set('Accept', SUMMARY).set('Accept-Encoding', 'gzip, br');
    expect(Number(res.headers['content-length'])).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.etag).not.toMatch(/-(gz|br)"$/);
    expect(varyOf(res)).toContain('accept-encoding');
    expectValidBody(t.registry, res, 'link');
  });

  it('compresses a page of 50 links and the full stats through the Express routes alike', async () => {
    for (const [path, resource] of [['/api/links?limit=50', 'link-page'], ['/api/links/facet/stats', 'link-stats']] as const) {
      const res = await request(t.app).get(path).set('Authorization', bearer(KEYS.user)).set('Accept', FULL).set('Accept-Encoding', 'gzip');
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.etag).toMatch(/-gz"$/);
      expectValidBody(t.registry, res, resource);
    }
  });

  it('never compresses a problem', async () => {
    const res = await request(t.app).get('/api/me').set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(401);
    expect(res.headers['content-encoding']).toBeUndefined();
    expectValidBody(t.registry, res);
  });

  it.each([['/openapi.yaml'], ['/docs/openapi.json'], ['/docs/assets/swagger-ui-bundle.js'], ['/docs/assets/swagger-ui.css']])('serves %s compressed, varying on Accept-Encoding', async (path) => {
    const identity = await request(t.app).get(path).set('Accept-Encoding', 'identity');
    const res = await request(t.app).get(path).set('Accept-Encoding', 'br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-type']).toBe(identity.headers['content-type']);
    expect(res.text).toBe(identity.text);
  });

  it('keeps the small /docs page identity, still varying on Accept-Encoding', async () => {
    const res = await request(t.app).get('/docs').set('Accept-Encoding', 'br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
  });
});

describe('compressing once per version', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it.each([
    ['the full dashboard (kept by the dashboard cache)', '/api/dashboard'],
    ['a page of 50 links (a computed answer kept by its bytes)', '/api/links?limit=50'],
    ['a sparse dashboard', '/api/dashboard?fields=links.link'],
  ])('compresses %s once, however often it is asked for', async (_name, path) => {
    const get = () => request(t.app).get(path).set('Authorization', bearer(KEYS.user)).set('Accept', FULL).set('Accept-Encoding', 'br');
    const brotli = jest.spyOn(zlib, 'brotliCompressSync');
    try {
      for (let i = 0; i < 3; i += 1) expect((await get()).headers['content-encoding']).toBe('br');
      expect(brotli).toHaveBeenCalledTimes(1);
    } finally {
      brotli.mockRestore();
    }
  });
});

describe('ETags with an encoding suffix as If-Match', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ config: { compressMinBytes: 0 } }); });
  afterAll(async () => { await t.close(); });

  it('still name the link version: a PATCH with the gzip card’s ETag succeeds, a stale one is 412', async () => {
    const card = await request(t.app).get('/api/links/facet').set('Accept', FULL).set('Accept-Encoding', 'gzip');
    expect(card.headers['content-encoding']).toBe('gzip');
    const etag = card.headers.etag as string;
    expect(etag).toMatch(/-gz"$/);
    const patch = () => request(t.app).patch('/api/links/facet').set('Authorization', bearer(KEYS.user)).set('Accept', FULL)
      .set('Content-Type', 'application/json').set('If-Match', etag).send({ title: 'Renamed' });
    const ok = await patch();
    expect(ok.status).toBe(200);
    expectValidBody(t.registry, ok, 'link');
    const stale = await patch();
    expect(stale.status).toBe(412);
    expectValidBody(t.registry, stale);
  });
});
