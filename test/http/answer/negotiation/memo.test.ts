import request from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../../../representations/media-types';
import { createTestApp, KEYS } from '../../../helpers/test-app';
import type { TestApp } from '../../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** The card as chosen for one caller: Accept plus the traits that decide the default. */
async function chosen(accept: string | undefined, traits: { platform?: string; key?: string } = {}): Promise<string> {
  const req = request(t.app).get('/api/links/facet');
  if (accept !== undefined) req.set('Accept', accept);
  if (traits.platform) req.set('X-Client-Platform', traits.platform);
  if (traits.key) req.set('Authorization', `Bearer ${traits.key}`);
  const res = await req;
  expect(res.status).toBe(200);
  expectValidBody(t.registry, res, 'link');
  return res.headers['content-type'] as string;
}

describe('remembered negotiation outcomes', () => {
  it('keep each caller’s default apart when the same Accept repeats', async () => {
    for (let round = 0; round < 2; round += 1) {
      expect(await chosen('*/*', { platform: 'ios' })).toBe(SUMMARY);
      expect(await chosen('*/*', { platform: 'web' })).toBe(FULL);
      expect(await chosen('*/*', { key: KEYS.partner })).toBe(PARTNER_V3);
      expect(await chosen('*/*')).toBe(FULL);
      expect(await chosen(undefined, { platform: 'android' })).toBe(SUMMARY);
      expect(await chosen('')).toBe(FULL);
    }
  });

  it('still negotiate a long Accept header that is not remembered', async () => {
    const long = `${'text/plain;q=0.1, '.repeat(20)}${SUMMARY}`;
    expect(long.length).toBeGreaterThan(256);
    expect(await chosen(long)).toBe(SUMMARY);
    expect(await chosen(long)).toBe(SUMMARY);
  });

  it('answer every repeated 406 with the full acceptable list', async () => {
    for (let round = 0; round < 2; round += 1) {
      const res = await request(t.app).get('/api/links/facet').set('Accept', 'text/plain');
      const body = expectProblem(t.registry, res, 406, 'not-acceptable');
      expect(body.acceptable).toEqual([...t.registry.resource('link').offers, 'text/html']);
    }
  });
});
