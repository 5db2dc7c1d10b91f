import request from 'supertest';
import { parse } from 'yaml';
import { FULL, PARTNER_V3, PARTNER_V4 } from '../../../representations/media-types';
import { createTestApp, FIXED_NOW, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { CHROME, expectHtmlPage } from '../../helpers/html-page';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { bearer } from '../http-expect';

const DEPRECATION = new Date('2027-01-01T00:00:00Z');
const SUNSET = new Date('2027-06-30T00:00:00Z');
const DAY = 86_400_000;

/** One app whose clock the tests move: before the deprecation, between, after the sunset. */
let clock = FIXED_NOW.getTime();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    now: () => new Date(clock),
    config: { lifecycle: [{ type: PARTNER_V3, name: 'partner.v3', deprecation: DEPRECATION, sunset: SUNSET }] },
  });
});
afterAll(async () => { await t.close(); });

const get = (path: string, headers: Record<string, string>) => {
  const req = request(t.app).get(path);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  return req;
};
const partner = (accept?: string) => ({ Authorization: bearer(KEYS.partner), ...(accept ? { Accept: accept } : {}) });

/** The Link values of a response, each with its rel. */
const links = (res: request.Response) => String(res.headers.link ?? '').split(/,\s*(?=<)/).filter((l) => l !== '');

describe('a deprecated, then retired, partner.v3 (RFC 9745, RFC 8594)', () => {
  it('says nothing before the deprecation time', async () => {
    clock = DEPRECATION.getTime() - DAY;
    const res = await get('/api/links/facet', partner());
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.deprecation).toBeUndefined();
    expect(res.headers.sunset).toBeUndefined();
  });

  it('carries Deprecation, the deprecation and successor Links and Sunset from the deprecation time on, on 200 and 304', async () => {
    clock = DEPRECATION.getTime();
    for (const path of ['/api/links/facet', '/api/links', '/api/me', '/api/links/demo40/stats']) {
      const res = await get(path, partner());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(PARTNER_V3);
      expect(res.headers.deprecation).toBe(`@${DEPRECATION.getTime() / 1000}`);
      expect(res.headers.sunset).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
      const notices = links(res).filter((l) => !l.includes('rel="alternate"') && !l.includes('rel="next"'));
      expect(notices).toEqual([
        '<http://localhost:3000/docs/contracts>; rel="deprecation"; type="text/html"',
        `<${path}>; rel="successor-version"; type="${PARTNER_V4}"`,
      ]);
      const again = await get(path, { ...partner(), 'If-None-Match': res.headers.etag! });
      expect(again.status).toBe(304);
      expect(again.headers.deprecation).toBe(res.headers.deprecation);
    }
    // Only the deprecated representation says so.
    for (const accept of [FULL, PARTNER_V4]) {
      const other = await get('/api/links/facet', partner(accept));
      expect(other.headers['content-type']).toBe(accept);
      expectValidBody(t.registry, other, 'link');
      expect(other.headers.deprecation).toBeUndefined();
      expect(other.headers.sunset).toBeUndefined();
    }
  });

  it('carries the notices on the answer to a write made in it', async () => {
    clock = DEPRECATION.getTime() + DAY;
    const res = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.partner)).set('Content-Type', PARTNER_V3).send({ long_url: 'https://example.org/deprecated' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'link');
    expect(res.headers.deprecation).toBe(`@${DEPRECATION.getTime() / 1000}`);
    expect(links(res)).toContain(`</api/links>; rel="successor-version"; type="${PARTNER_V4}"`);
  });

  it('carries the notices on its browsable page too', async () => {
    clock = DEPRECATION.getTime() + DAY;
    const page = await get('/api/links/facet', { ...partner(), Accept: CHROME });
    expect(expectHtmlPage(t.registry, page, 'link').type).toBe(PARTNER_V3);
    expect(page.headers.deprecation).toBe(`@${DEPRECATION.getTime() / 1000}`);
  });

  it('is no longer offered from the sunset on: asked for, a 406 listing what is; pinned, a 406 naming the successor', async () => {
    clock = SUNSET.getTime();
    const asked = expectProblem(t.registry, await get('/api/links/facet', { Accept: PARTNER_V3 }), 406, 'not-acceptable');
    expect(asked.acceptable).not.toContain(PARTNER_V3);
    expect(asked.acceptable).toEqual(expect.arrayContaining([FULL, PARTNER_V4]));
    expect(asked.detail).toContain('partner.v3 is retired. Its successor is partner.v4');
    const pinned = expectProblem(t.registry, await get('/api/links/facet', partner()), 406, 'not-acceptable');
    expect(pinned.detail).toMatch(/^partner\.v3 \(the default of this credential\) is retired\. Its successor is partner\.v4 .*npm run keys -- pin <key> partner\.v4/);
    // The successor, and every other representation, is answered as before.
    const v4 = await get('/api/links/facet', partner(PARTNER_V4));
    expect(v4.status).toBe(200);
    expectValidBody(t.registry, v4, 'link');
    const full = await get('/api/links/facet', { Accept: FULL });
    expect(full.status).toBe(200);
    expectValidBody(t.registry, full, 'link');
    expect(String(full.headers.link)).not.toContain(PARTNER_V3);
  });

  it('marks the deprecated media type in the served openapi.yaml, and no other', async () => {
    const res = await request(t.app).get('/openapi.yaml');
    expect(res.status).toBe(200);
    const doc = parse(res.text) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, Record<string, unknown>> }> }>> };
    const card = doc.paths['/api/links/{code}']!.get!.responses['200']!.content!;
    expect(card[PARTNER_V3]).toMatchObject({
      schema: { deprecated: true },
      'x-facet-lifecycle': { deprecation: DEPRECATION.toISOString(), sunset: SUNSET.toISOString(), successor: PARTNER_V4 },
    });
    expect(card[PARTNER_V4]!.schema).not.toHaveProperty('deprecated');
    expect(card[FULL]!).not.toHaveProperty('x-facet-lifecycle');
  });

  it('counts answers per representation in /metrics, so the operator sees who is left', async () => {
    clock = DEPRECATION.getTime() + DAY;
    await get('/api/links/facet', partner());
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toMatch(/facet_http_requests_total\{method="GET",route="\/api\/links\/:code",status="200",representation="partner\.v3"\} [1-9]/);
  });
});
