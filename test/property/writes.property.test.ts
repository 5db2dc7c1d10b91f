import fc from 'fast-check';
import { PARTNER_V3 } from '../../representations/media-types';
import { accept, authorization, body, contentEncoding, contentType, entityTags, goodAccept, goodAuthorization, goodFirstPartyBody, goodPartnerBody, platform } from './arbitraries';
import { POOL, restorePool, RUNS, runProperty, sendAndCheck, startPropertyApp } from './harness';
import type { Method, PropertyApp } from './harness';

/** Codes a PATCH or DELETE aims at: pool links of each owner, unknown, expired and impossible codes. */
const TARGETS = [...POOL.map((p) => p.code), 'nope-nope', 'demo49', 'a.b', '%ZZ'];

const route = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ method: 'POST' as Method, path: '/api/links' }) },
  { weight: 5, arbitrary: fc.constantFrom(...TARGETS).map((code) => ({ method: 'PATCH' as Method, path: `/api/links/${code}` })) },
  { weight: 3, arbitrary: fc.constantFrom(...TARGETS).map((code) => ({ method: 'DELETE' as Method, path: `/api/links/${code}` })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<{ method: Method; path: string }>(
      { method: 'POST', path: '/api/links/prop-a' }, { method: 'PATCH', path: '/api/links' }, { method: 'DELETE', path: '/api/links' },
      { method: 'POST', path: '/api/me' }, { method: 'PATCH', path: '/api/links/prop-a/stats' }, { method: 'POST', path: '/prop-a' },
      { method: 'DELETE', path: '/api/dashboard' }, { method: 'DELETE', path: '/api/teams/team_demo' },
    ),
  },
);

const hostileCase = fc.record({ route, accept, platform, authorization, contentType, contentEncoding, ifMatch: entityTags, body });

/** A request a well-behaved client would send, but for the If-Match, so successes are covered too. */
const wellFormedCase = fc.record({
  route,
  accept: goodAccept,
  platform,
  authorization: goodAuthorization,
  contentType: fc.constantFrom('application/json', 'application/merge-patch+json', PARTNER_V3),
  contentEncoding: fc.constant(undefined),
  ifMatch: entityTags,
  body: fc.oneof(goodFirstPartyBody, goodPartnerBody),
}).map((c) => ({ ...c, contentType: c.body.includes('"long_url"') ? PARTNER_V3 : c.route.method === 'PATCH' ? c.contentType : 'application/json' }));

const writeCase = fc.oneof({ weight: 3, arbitrary: hostileCase }, { weight: 2, arbitrary: wellFormedCase });

let app: PropertyApp;
beforeAll(async () => {
  app = await startPropertyApp();
  await restorePool(app);
});
afterAll(async () => { await app.close(); });

describe('POST, PATCH and DELETE with arbitrary Content-Type, bodies, If-Match, Accept and Authorization', () => {
  it('never answers 5xx, always sends Vary when negotiating, problem+json for every 4xx and bodies valid against their schemas', async () => {
    await runProperty('POST, PATCH and DELETE', writeCase, RUNS.writes, app, async (c) => {
      try {
        return await sendAndCheck(app, {
          method: c.route.method,
          path: c.route.path,
          headers: {
            accept: c.accept,
            'x-client-platform': c.platform,
            authorization: c.authorization,
            'content-type': c.contentType,
            'content-encoding': c.contentEncoding,
            'if-match': c.ifMatch,
          },
          body: c.body,
        });
      } finally {
        await restorePool(app);
      }
    });
  }, 120_000);
});
