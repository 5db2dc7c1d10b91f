import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** The click count and ETag the full public card shows once pending clicks are stored. */
async function clicksOf(code: string): Promise<{ clicks: number; etag: string }> {
  await t.clicks.flush();
  const res = await request(t.app).get(`/api/links/${code}`).set('Accept', FULL);
  expect(res.status).toBe(200);
  return { clicks: expectValidBody(t.registry, res, 'link').clicks as number, etag: res.headers.etag as string };
}

/** The latest stored clicks of a link, read straight from the fixture's SQLite file. */
async function storedClicks(code: string): Promise<{ country: string; referrer: string | null }[]> {
  await t.clicks.flush();
  const link = await t.store.links.findByCode(code);
  const db = new Database(path.join(t.dataDir, 'facet.db'), { readonly: true });
  try {
    return db.prepare('SELECT country, referrer FROM clicks WHERE link_row_id = ? ORDER BY id DESC LIMIT 5').all(link!.rowId) as { country: string; referrer: string | null }[];
  } finally {
    db.close();
  }
}

describe('GET /:code', () => {
  it('answers 302 to the long URL, with no body and no-store caching', async () => {
    const link = await t.store.links.findByCode('rfc9110');
    const res = await request(t.app).get('/rfc9110');
    expect(res.status).toBe(302);
    expectValidBody(t.registry, res);
    expect(res.headers.location).toBe(link!.url);
    expect(res.headers['cache-control']).toMatch(/(^|[\s,])no-store([\s,]|$)/);
  });

  it('records one click, visible on the card once clicks are flushed', async () => {
    const before = await clicksOf('facet');
    const res = await request(t.app).get('/facet');
    expect(res.status).toBe(302);
    expectValidBody(t.registry, res);
    const after = await clicksOf('facet');
    expect(after.clicks).toBe(before.clicks + 1);
  });

  it('gives the card a new ETag once a click is counted, since its body changed', async () => {
    const before = await clicksOf('bff');
    expectValidBody(t.registry, await request(t.app).get('/bff'));
    await t.clicks.flush();
    const after = await request(t.app).get('/api/links/bff').set('Accept', FULL).set('If-None-Match', before.etag);
    expect(after.status).toBe(200);
    expect(expectValidBody(t.registry, after, 'link').clicks).toBe(before.clicks + 1);
    expect(after.headers.etag).not.toBe(before.etag);
  });

  it('counts each of several visits', async () => {
    const before = await clicksOf('varnish');
    for (let i = 0; i < 3; i += 1) expectValidBody(t.registry, await request(t.app).get('/varnish'));
    expect((await clicksOf('varnish')).clicks).toBe(before.clicks + 3);
  });

  it('does not count a HEAD as a click', async () => {
    const before = await clicksOf('negotiator');
    const res = await request(t.app).head('/negotiator');
    expect(res.status).toBe(302);
    expectValidBody(t.registry, res);
    expect(res.headers.location).toBe((await t.store.links.findByCode('negotiator'))!.url);
    expect((await clicksOf('negotiator')).clicks).toBe(before.clicks);
  });

  it('accepts CF-IPCountry and records the country upper-cased, with the referrer host', async () => {
    const res = await request(t.app).get('/mdn-vary').set('CF-IPCountry', 'de').set('Referer', 'https://news.example.org/item?id=1');
    expect(res.status).toBe(302);
    expectValidBody(t.registry, res);
    const [latest] = await storedClicks('mdn-vary');
    expect(latest).toEqual({ country: 'DE', referrer: 'news.example.org' });
  });

  it('records an unknown country for a malformed CF-IPCountry', async () => {
    const res = await request(t.app).get('/mdn-vary').set('CF-IPCountry', '<script>');
    expect(res.status).toBe(302);
    expectValidBody(t.registry, res);
    const [latest] = await storedClicks('mdn-vary');
    expect(latest!.country).toBe('ZZ');
  });

  it('answers 404 problem+json for an unknown code', async () => {
    expectProblem(t.registry, await request(t.app).get('/no-such-link'), 404, 'not-found');
  });

  it.each(['a.b', 'ab', '%F0%9F%98%80'])('answers 404 for the impossible code %s', async (code) => {
    expectProblem(t.registry, await request(t.app).get(`/${code}`), 404, 'not-found');
  });

  it('answers 410 problem+json for an expired link and records no click', async () => {
    const before = await clicksOf('demo49');
    const res = await request(t.app).get('/demo49');
    expectProblem(t.registry, res, 410, 'gone');
    expect(res.headers.location).toBeUndefined();
    expect((await clicksOf('demo49')).clicks).toBe(before.clicks);
  });

  it('answers 404 for a reserved first segment such as /api', async () => {
    expectProblem(t.registry, await request(t.app).get('/api'), 404, 'not-found');
  });

  it.each([
    ['a valid key', bearer(KEYS.other)],
    ['a stale key', bearer('revoked_or_mistyped_key')],
    ['a malformed Authorization header', 'Basic ZGVtbzpkZW1v'],
  ])('follows a link for a visitor presenting %s: only the API authenticates', async (_name, authorization) => {
    const res = await request(t.app).get('/facet').set('Authorization', authorization);
    expect(res.status).toBe(302);
    expectValidBody(t.registry, res);
  });
});
