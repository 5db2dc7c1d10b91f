import request from 'supertest';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import { createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const NOW_S = Math.floor(FIXED_NOW.getTime() / 1000);

/** A write as the demo partner with a partner.v4 body (a string is sent as is), overridable headers. */
function send(method: 'post' | 'patch', path: string, body: unknown, headers: Record<string, string> = {}) {
  const req = request(t.app)[method](path);
  const all = { Authorization: bearer(KEYS.partner), Accept: PARTNER_V4, 'Content-Type': PARTNER_V4, ...headers };
  for (const [name, value] of Object.entries(all)) req.set(name, value);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
}
const create = (body: unknown, headers?: Record<string, string>) => send('post', '/api/links', body, headers);
const patch = (code: string, body: unknown, headers?: Record<string, string>) => send('patch', `/api/links/${code}`, body, headers);

/** Asserts a 422 whose `errors` name exactly these JSON Pointers; returns the errors. */
function expectFieldErrors(res: request.Response, pointers: string[]): { pointer: string; detail: string }[] {
  const body = expectProblem(t.registry, res, 422, 'validation-failed');
  const errors = body.errors as { pointer: string; detail: string }[];
  expect(errors.map((e) => e.pointer).sort()).toEqual([...pointers].sort());
  return errors;
}

/** The full card of `code`, validated. */
async function fullCard(code: string): Promise<Record<string, unknown>> {
  const res = await request(t.app).get(`/api/links/${code}`).set('Accept', FULL);
  expect(res.status).toBe(200);
  return expectValidBody(t.registry, res, 'link');
}

let serial = 0;
/** Creates a fresh link of the partner's with a partner.v4 body; returns its code. */
async function partnerLink(fields: Record<string, unknown> = {}): Promise<string> {
  serial += 1;
  const code = `v4-${serial}`;
  const res = await create({ long_url: `https://example.com/${code}`, id: code, title: 'Original', tags: ['keep'], ...fields });
  expect(res.status).toBe(201);
  expectValidBody(t.registry, res, 'link');
  return code;
}

describe('POST /api/links with a partner.v4 body', () => {
  it('answers 201 reading long_url, id, title, expires_at and tags', async () => {
    const expiresAt = NOW_S + 7 * 86_400;
    const res = await create({ long_url: 'https://example.com/v4', id: 'acme-v4', title: 'Promo', expires_at: expiresAt, tags: ['spring', 'promo'] });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/links/acme-v4');
    expect(res.headers['content-type']).toBe(PARTNER_V4);
    expect(expectValidBody(t.registry, res, 'link')).toEqual({
      id: 'acme-v4', short_url: 'http://localhost:3000/acme-v4', long_url: 'https://example.com/v4', title: 'Promo',
      created_at: NOW_S, expires_at: expiresAt, click_count: 0, tags: ['spring', 'promo'], status: 'active', updated_at: NOW_S,
    });
    expect(await fullCard('acme-v4')).toMatchObject({ tags: ['spring', 'promo'], expiresAt: new Date(expiresAt * 1000).toISOString() });
  });

  it('takes a body without tags, as partner.v3 would send it', async () => {
    const res = await create({ long_url: 'https://example.com/no-tags' });
    expect(res.status).toBe(201);
    expect(expectValidBody(t.registry, res, 'link').tags).toEqual([]);
  });

  it('answers in the negotiated representation, whatever the body was', async () => {
    for (const type of [SUMMARY, PARTNER_V3]) {
      const res = await create({ long_url: 'https://example.com/negotiated-v4', tags: ['x'] }, { Accept: type });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe(type);
      expectValidBody(t.registry, res, 'link');
    }
  });

  it('names bad fields with the partner\'s names, those the domain finds included', async () => {
    expectFieldErrors(await create({ url: 'https://example.com/' }), ['/long_url', '/url']);
    expectFieldErrors(await create({ long_url: 'javascript:alert(1)' }), ['/long_url']);
    expectFieldErrors(await create({ long_url: 'https://example.com/', id: 'api' }), ['/id']);
    expectFieldErrors(await create({ long_url: 'https://example.com/', expires_at: NOW_S - 60 }), ['/expires_at']);
    expectFieldErrors(await create({ long_url: 'https://example.com/', tags: ['ok', 'ok'] }), ['/tags']);
    expectFieldErrors(await create({ long_url: 'https://example.com/', tags: ['a\u0007b'] }), ['/tags/0']);
  });

  it('speaks the partner\'s field names in the detail of a domain error', async () => {
    const [error] = expectFieldErrors(await create({ long_url: 'http://127.0.0.1:3000/facet' }), ['/long_url']);
    expect(error!.detail).toMatch(/^long_url\b/);
  });

  it('answers 409 for an id that is taken', async () => {
    expectProblem(t.registry, await create({ long_url: 'https://example.com/', id: 'facet' }), 409, 'code-taken');
  });

  it('names partner.v4 in Accept-Post when the body type is refused', async () => {
    const res = await create('https://example.com/', { 'Content-Type': 'text/plain' });
    expectProblem(t.registry, res, 415, 'unsupported-media-type');
    expect(String(res.headers['accept-post']).split(', ')).toEqual(expect.arrayContaining(['application/json', PARTNER_V3, PARTNER_V4]));
  });
});

describe('PATCH /api/links/:code with a partner.v4 body', () => {
  it('replaces the tags and leaves the rest alone', async () => {
    const code = await partnerLink();
    const res = await patch(code, { tags: ['new', 'tags'] });
    expect(res.status).toBe(200);
    expect(expectValidBody(t.registry, res, 'link')).toMatchObject({ id: code, title: 'Original', long_url: `https://example.com/${code}`, tags: ['new', 'tags'] });
    expect(await fullCard(code)).toMatchObject({ title: 'Original', tags: ['new', 'tags'] });
  });

  it('applies partner.v3\'s members as partner.v3 does, and clears the expiry with null', async () => {
    const code = await partnerLink({ expires_at: NOW_S + 3600 });
    const res = await patch(code, { long_url: 'https://example.net/v4', title: null, expires_at: null });
    expect(res.status).toBe(200);
    expect(expectValidBody(t.registry, res, 'link')).toMatchObject({ long_url: 'https://example.net/v4', title: null, expires_at: null, tags: ['keep'] });
  });

  it('answers 422 in partner terms and changes nothing', async () => {
    const code = await partnerLink();
    const before = await fullCard(code);
    expectFieldErrors(await patch(code, {}), ['/']);
    expectFieldErrors(await patch(code, { url: 'https://example.com/' }), ['/url']);
    expectFieldErrors(await patch(code, { long_url: 'data:text/plain,hi' }), ['/long_url']);
    expectFieldErrors(await patch(code, { expires_at: NOW_S - 1 }), ['/expires_at']);
    expectFieldErrors(await patch(code, { tags: 'docs' }), ['/tags']);
    expect(await fullCard(code)).toEqual(before);
  });

  it('names partner.v4 in Accept-Patch when the body type is refused', async () => {
    const code = await partnerLink();
    const res = await patch(code, 'x', { 'Content-Type': 'text/plain' });
    expectProblem(t.registry, res, 415, 'unsupported-media-type');
    expect(String(res.headers['accept-patch']).split(', ')).toEqual(expect.arrayContaining(['application/merge-patch+json', PARTNER_V3, PARTNER_V4]));
  });

  it('refuses tags in a partner.v3 body: v3 is frozen without them', async () => {
    const code = await partnerLink();
    expectFieldErrors(await patch(code, { tags: ['x'] }, { 'Content-Type': PARTNER_V3 }), ['/tags']);
  });
});
