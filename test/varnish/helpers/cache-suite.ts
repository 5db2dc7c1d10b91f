import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { OTHER_SCHEMAS } from '../../../representations/registry';
import { DEMO_KEYS } from '../../../src/domain/seed';
import { OFFERS, UNACCEPTABLE } from './accept-corpus';
import { describeAcceptNormalisation } from './accept-suite';
import type { Edge } from './edge';
import { expectProblemStatus, expectRepresentation, registry } from './expect';
import { send } from './http';
import type { Headers } from './http';
import { describeHtmlView } from './view-suite';

const bearer = (key: string) => `Bearer ${key}`;

/**
 * What the shipped VCL promises whatever stands behind it, as tests: variants kept apart, the
 * VCL's choice equal to negotiate()'s and a high hit ratio across Accept spellings
 * (accept-suite.ts), the HTML view (view-suite.ts), no 304 for another variant, no stored 406,
 * nothing private shared.
 */
export function describeCacheBehaviour(edge: () => Edge): void {
  const via = (v: 'cached' | 'plain', url: string, headers: Headers = {}, method = 'GET') => send(edge()[v].port, url, headers, method);
  describeAcceptNormalisation(edge);
  describeHtmlView(edge);

  it('keeps every representation of one URL apart and answers a repeat from the cache', async () => {
    const etags = new Map<VendorType, string>();
    for (const round of [1, 2, 3]) {
      for (const type of OFFERS) {
        const res = await via('cached', '/api/links/facet', { Accept: type });
        expectRepresentation(res, type, 'link');
        expect(res.headers['x-cache']).toBe(round === 1 ? 'MISS' : 'HIT');
        // On a hit X-Varnish carries this request's id and the id of the request that stored it.
        expect(String(res.headers['x-varnish']).split(' ')).toHaveLength(round === 1 ? 1 : 2);
        expect(etags.get(type) ?? res.headers.etag).toBe(res.headers.etag);
        etags.set(type, res.headers.etag!);
      }
    }
    expect(new Set(etags.values()).size).toBe(OFFERS.length);
    const head = await via('cached', '/api/links/facet', { Accept: SUMMARY }, 'HEAD');
    expect([head.status, head.headers['content-type'], head.headers['x-cache'], head.body]).toEqual([200, SUMMARY, 'HIT', '']);
  });

  it('never answers 304 for another variant\'s ETag', async () => {
    const url = '/api/links/rfc9457';
    const summary = await via('cached', url, { Accept: SUMMARY });
    const full = await via('cached', url, { Accept: FULL });
    const partner = await via('cached', url, { Accept: PARTNER_V3 });
    const [s, f, p] = [summary.headers.etag!, full.headers.etag!, partner.headers.etag!];
    expect(new Set([s, f, p]).size).toBe(3);

    expectRepresentation(await via('cached', url, { Accept: FULL, 'If-None-Match': s }), FULL, 'link');
    expectRepresentation(await via('cached', url, { Accept: '*/*', 'If-None-Match': `${s}, W/${p}` }), FULL, 'link');
    expectRepresentation(await via('cached', url, { Accept: 'application/json', 'X-Client-Platform': 'ios', 'If-None-Match': f }), SUMMARY, 'link');
    const revalidated = await via('cached', url, { Accept: FULL, 'If-None-Match': f });
    expect([revalidated.status, revalidated.body, revalidated.headers.etag]).toEqual([304, '', f]);

    // The same on a cache miss and on a pass: learn the ETags from the service itself, not through the cache.
    const fresh = '/api/links/negotiator';
    const direct = await send(edge().instances[0]!.port, fresh, { Accept: SUMMARY });
    const miss = await via('cached', fresh, { Accept: FULL, 'If-None-Match': direct.headers.etag });
    expectRepresentation(miss, FULL, 'link');
    expect(miss.headers['x-cache']).toBe('MISS');
    const ninePass = `a/b, c/d, e/f, g/h, i/j, k/l, m/n, o/p, ${FULL}`;
    const pass = await via('cached', fresh, { Accept: ninePass, 'If-None-Match': direct.headers.etag });
    expect(pass.headers['x-facet-variant']).toBe('pass');
    expectRepresentation(pass, FULL, 'link');
  });

  it('never stores a 406, nor serves one to an acceptable request', async () => {
    for (const v of ['cached', 'plain'] as const) {
      const url = '/api/links/bff';
      for (const accept of ['text/plain', 'text/plain', `${FULL};q=0, application/xml`, 'text/html;q=0']) {
        const res = await via(v, url, { Accept: accept });
        expectProblemStatus(res, 406);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-cache']).toBe('MISS');
      }
      expectRepresentation(await via(v, url, { Accept: '*/*' }), FULL, 'link');
      expectRepresentation(await via(v, url, {}), FULL, 'link');
      expectRepresentation(await via(v, url, { 'X-Client-Platform': 'ios' }), SUMMARY, 'link');
      expectProblemStatus(await via(v, url, { Accept: 'text/plain' }), 406);
      expect((await via(v, url, { Accept: '*/*' })).headers['x-cache']).toBe('HIT');
    }
    const unacceptable = await via('cached', '/api/links/bff', { Accept: 'image/png', 'X-Client-Platform': 'web' });
    expect(unacceptable.headers['x-facet-variant']).toBe(UNACCEPTABLE);
  });

  it('never serves a private listing to another key or to an anonymous client', async () => {
    const user = await via('cached', '/api/links', { Authorization: bearer(DEMO_KEYS.user), Accept: FULL });
    const again = await via('cached', '/api/links', { Authorization: bearer(DEMO_KEYS.user), Accept: FULL });
    const partner = await via('cached', '/api/links', { Authorization: bearer(DEMO_KEYS.partner), Accept: '*/*' });
    const partnerAsFull = await via('cached', '/api/links', { Authorization: bearer(DEMO_KEYS.partner), Accept: FULL });
    const nobody = await via('cached', '/api/links', { Accept: FULL });
    for (const res of [user, again, partnerAsFull]) expectRepresentation(res, FULL, 'link-page');
    expectRepresentation(partner, PARTNER_V3, 'link-page');
    for (const res of [user, again, partner, partnerAsFull]) {
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.headers['x-cache']).toBe('MISS');
    }
    expect(partnerAsFull.body).not.toBe(user.body);
    expect(partnerAsFull.headers.etag).not.toBe(user.headers.etag);
    expectProblemStatus(nobody, 401);
    expect(nobody.headers['x-cache']).toBe('MISS');
  });

  it('never lets a partner key\'s pinned default reach anonymous clients of the public card', async () => {
    const url = '/api/links/varnish';
    const pinned = await via('cached', url, { Authorization: bearer(DEMO_KEYS.partner), Accept: '*/*' });
    expectRepresentation(pinned, PARTNER_V3, 'link');
    expect(pinned.headers['x-cache']).toBe('MISS');
    const first = await via('cached', url, { Accept: '*/*' });
    const second = await via('cached', url, { Accept: '*/*' });
    expectRepresentation(first, FULL, 'link');
    expectRepresentation(second, FULL, 'link');
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    const pinnedAgain = await via('cached', url, { Authorization: bearer(DEMO_KEYS.partner) });
    expectRepresentation(pinnedAgain, PARTNER_V3, 'link');
    expect(pinnedAgain.headers['x-cache']).toBe('MISS');
  });

  it('serves a signed-in browser the public card from the cache as before, and never stores its sign-in or its private answers', async () => {
    const signIn = await send(edge().cached.port, '/api/session', { 'Content-Type': 'application/json' }, 'POST', { email: 'ada@example.com', password: 'ada-demo-password' });
    expect(signIn.status).toBe(201);
    expect(registry.validator(OTHER_SCHEMAS.session)(JSON.parse(signIn.body))).toBe(true);
    const cookie = String(signIn.headers['set-cookie']?.[0]).split(';')[0]!;
    expect(cookie).toMatch(/^__Host-facet_session=fct_ses_/);
    expect(signIn.headers['x-cache']).toBe('MISS');
    // The public card: the cookie is stripped at the edge and ignored by the service; one object serves both.
    const url = '/api/links/mdn-vary';
    const anonymous = await via('cached', url, { Accept: SUMMARY });
    const signedIn = [await via('cached', url, { Accept: SUMMARY, Cookie: cookie }), await via('cached', url, { Accept: SUMMARY, Cookie: `${cookie}; theme=dark` })];
    expectRepresentation(anonymous, SUMMARY, 'link');
    for (const res of signedIn) {
      expectRepresentation(res, SUMMARY, 'link');
      expect([res.headers['x-cache'], res.headers.etag, res.body]).toEqual(['HIT', anonymous.headers.etag, anonymous.body]);
    }
    // A private answer the cookie signs in: passed to the service every time, never shared.
    const mine = [await via('cached', '/api/me', { Accept: FULL, Cookie: cookie }), await via('cached', '/api/me', { Accept: FULL, Cookie: cookie })];
    for (const res of mine) {
      expectRepresentation(res, FULL, 'me');
      expect(res.headers['x-cache']).toBe('MISS');
      expect(res.headers.vary).toContain('Cookie');
    }
    expectProblemStatus(await via('cached', '/api/me', { Accept: FULL }), 401);
    const session = await via('cached', '/api/session', { Cookie: cookie });
    expect([session.status, session.headers['x-cache'], session.headers['cache-control']]).toEqual([200, 'MISS', 'no-store']);
  });
}
