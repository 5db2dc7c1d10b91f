import request from 'supertest';
import { FULL, SUMMARY } from '../../representations/media-types';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

let t: TestApp;
let listed: jest.SpyInstance;
let statsRead: jest.SpyInstance;
beforeAll(async () => {
  t = await createTestApp({
    beforeApp(store) {
      listed = jest.spyOn(store.links, 'listByOwner');
      statsRead = jest.spyOn(store.clicks, 'window');
    },
  });
});
afterAll(async () => { await t.close(); });

const get = (path: string, accept: string = FULL) => request(t.app).get(path).set('Authorization', bearer(KEYS.user)).set('Accept', accept);

describe('pages of links and stats are prepared answers, kept while their data is current', () => {
  it('answers a repeated page from the kept answer, the same bytes and ETag, without reading the store', async () => {
    const first = await get('/api/links?limit=5');
    expectValidBody(t.registry, first, 'link-page');
    const reads = listed.mock.calls.length;
    const again = await get('/api/links?limit=5');
    expectValidBody(t.registry, again, 'link-page');
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(listed.mock.calls.length).toBe(reads);
    // Another representation or size is another answer.
    expectValidBody(t.registry, await get('/api/links?limit=5', SUMMARY), 'link-page');
    expect(listed.mock.calls.length).toBe(reads + 1);
  });

  it('builds the page again once a write changed the data', async () => {
    const before = await get('/api/links?limit=5');
    const created = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL).send({ url: 'https://example.org/kept' });
    const { code } = expectValidBody(t.registry, created, 'link') as { code: string };
    const after = await get('/api/links?limit=5');
    const page = expectValidBody(t.registry, after, 'link-page') as { items: { code: string }[] };
    expect(page.items.map((i) => i.code)).toContain(code);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('keeps stats per owner: another user still gets the 404', async () => {
    const first = await get('/api/links/facet/stats');
    expectValidBody(t.registry, first, 'link-stats');
    const reads = statsRead.mock.calls.length;
    expect((await get('/api/links/facet/stats')).text).toBe(first.text);
    expect(statsRead.mock.calls.length).toBe(reads);
    const stranger = await request(t.app).get('/api/links/facet/stats').set('Authorization', bearer(KEYS.other)).set('Accept', FULL);
    expect(stranger.status).toBe(404);
    expectValidBody(t.registry, stranger);
  });
});
