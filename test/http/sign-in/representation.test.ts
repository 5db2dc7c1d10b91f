import request from 'supertest';
import type { Response } from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import type { ResourceName } from '../../../representations/registry';
import { generateSecret } from '../../../src/domain/secrets';
import { expectValidBody } from '../../helpers/schema';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { bearer, varyOf } from '../http-expect';
import type { SignedIn } from './sign-in-helpers';
import { changeOneCharacter, SESSION_COOKIE, signIn, stableHeaders } from './sign-in-helpers';

describe.each([
  ['with the fast path', true],
  ['through Express alone', false],
])('the session cookie %s', (_name, fastPath) => {
  let t: TestApp;
  let ada: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ fastPath });
    ada = await signIn(t);
  });
  afterAll(async () => { await t.close(); });

  /** GET `path` with these headers. */
  const get = (path: string, headers: Record<string, string> = {}) => request(t.app).get(path).set(headers);

  describe('default representation of a session', () => {
    it('answers GET /api/me in full when Accept is generic', async () => {
      const res = await get('/api/me', { Cookie: ada.cookie, Accept: '*/*' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(FULL);
      expect(expectValidBody(t.registry, res, 'me')).toMatchObject({ id: 'usr_ada', keyKind: 'user' });
    });

    it('answers GET /api/me in full without Accept', async () => {
      const res = await get('/api/me', { Cookie: ada.cookie });
      expect(res.headers['content-type']).toBe(FULL);
      expectValidBody(t.registry, res, 'me');
    });

    it('answers the summary when X-Client-Platform says ios', async () => {
      const res = await get('/api/me', { Cookie: ada.cookie, 'X-Client-Platform': 'ios' });
      expect(res.headers['content-type']).toBe(SUMMARY);
      expectValidBody(t.registry, res, 'me');
    });

    it.each([
      ['full over X-Client-Platform: ios', FULL, 'ios'],
      ['summary over the session\'s full', SUMMARY, undefined],
      ['partner.v3 over the session\'s full', PARTNER_V3, undefined],
    ])('lets Accept win: %s', async (_case, accept, platform) => {
      const headers: Record<string, string> = { Cookie: ada.cookie, Accept: accept };
      if (platform) headers['X-Client-Platform'] = platform;
      const res = await get('/api/me', headers);
      expect(res.headers['content-type']).toBe(accept);
      expectValidBody(t.registry, res, 'me');
    });
  });

  describe('the public card ignores the cookie', () => {
    const CARD_COOKIES: [string, () => string | undefined][] = [
      ['a live session cookie', () => ada.cookie],
      ['a garbage cookie', () => `${SESSION_COOKIE}=garbage; theme=dark`],
      ['a tampered session id', () => `${SESSION_COOKIE}=${changeOneCharacter(ada.id, 20)}`],
      ['a well-formed unknown session id', () => `${SESSION_COOKIE}=${generateSecret('fct_ses_')}`],
    ];

    it.each(['*/*', FULL, SUMMARY])('answers GET /api/links/facet (Accept %s) with the same status, headers and bytes with any cookie as without', async (accept) => {
      const without = await get('/api/links/facet', { Accept: accept });
      expect(without.status).toBe(200);
      expectValidBody(t.registry, without, 'link');
      expect(varyOf(without)).not.toContain('cookie');
      expect(without.headers['cache-control']).toMatch(/^public\b/);
      for (const [, cookie] of CARD_COOKIES) {
        const res = await get('/api/links/facet', { Accept: accept, Cookie: cookie()! });
        expectValidBody(t.registry, res, 'link');
        expect(res.status).toBe(without.status);
        expect(stableHeaders(res)).toEqual(stableHeaders(without));
        expect(Buffer.from(res.text).equals(Buffer.from(without.text))).toBe(true);
      }
    });

    it('revalidates the card with its ETag whether or not a cookie is sent', async () => {
      const first = await get('/api/links/facet', { Accept: FULL });
      const again = await get('/api/links/facet', { Accept: FULL, Cookie: ada.cookie, 'If-None-Match': first.headers.etag as string });
      expect(again.status).toBe(304);
      expectValidBody(t.registry, again);
      expect(varyOf(again)).not.toContain('cookie');
    });

    it('redirects GET /facet the same way with or without the cookie', async () => {
      const without = await get('/facet');
      const withCookie = await get('/facet', { Cookie: ada.cookie });
      expect(without.status).toBe(302);
      expectValidBody(t.registry, without);
      expect(withCookie.status).toBe(without.status);
      expect(stableHeaders(withCookie)).toEqual(stableHeaders(without));
      expect(varyOf(without)).not.toContain('cookie');
    });
  });

  describe('private answers vary on Cookie', () => {
    const PRIVATE: [string, ResourceName][] = [['/api/me', 'me'], ['/api/dashboard', 'dashboard'], ['/api/links', 'link-page'], ['/api/teams/team_demo', 'team']];

    it.each(PRIVATE)('answers %s with the cookie with Cookie in Vary and a private Cache-Control', async (path, resource) => {
      const res = await get(path, { Cookie: ada.cookie, Accept: FULL });
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, resource);
      expectPrivate(res);
    });

    it.each(PRIVATE)('answers %s with an API key with Cookie in Vary too: a shared cache cannot tell them apart', async (path, resource) => {
      const res = await get(path, { Authorization: bearer(KEYS.user), Accept: FULL });
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, resource);
      expectPrivate(res);
    });
  });
});

function expectPrivate(res: Response): void {
  expect(varyOf(res)).toContain('cookie');
  expect(res.headers['cache-control']).toMatch(/\bprivate\b/);
  expect(res.headers['cache-control']).not.toMatch(/\bpublic\b/);
}
