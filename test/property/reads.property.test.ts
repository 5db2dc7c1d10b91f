import fc from 'fast-check';
import { accept, authorization, entityTags, freeSegment, goodAccept, goodAuthorization, listingQuery, platform } from './arbitraries';
import { restorePool, RUNS, runProperty, sendAndCheck, startPropertyApp } from './harness';
import type { PropertyApp } from './harness';

const CODES = ['facet', 'demo49', 'demo45', 'prop-a', 'prop-g', 'nope-nope', 'a.b', '%ZZ', '%E2%82%AC', 'x'.repeat(65)];

/** Every readable URL of the API and the redirector, with codes that exist, expired, belong to others, or cannot exist. */
const path = fc.oneof(
  listingQuery.map((query) => `/api/links${query}`),
  fc.constantFrom(...CODES).map((code) => `/api/links/${code}`),
  fc.constantFrom(...CODES).map((code) => `/api/links/${code}/stats`),
  fc.constant('/api/me'),
  fc.constantFrom('team_demo', 'nope', '%00').map((id) => `/api/teams/${id}`),
  fc.constant('/api/dashboard'),
  fc.oneof(fc.constantFrom('facet', 'demo49', 'nope-nope', 'ab'), freeSegment).map((code) => `/${code}`),
);

const method = fc.constantFrom('GET' as const, 'HEAD' as const);
const hostileCase = fc.record({ method, path, accept, platform, ifNoneMatch: entityTags, authorization });
/** What a well-behaved client sends, so that representations and 304s are covered as much as refusals. */
const wellFormedCase = fc.record({ method, path, accept: goodAccept, platform, ifNoneMatch: entityTags, authorization: goodAuthorization });
const readCase = fc.oneof({ weight: 3, arbitrary: hostileCase }, { weight: 2, arbitrary: wellFormedCase });

let app: PropertyApp;
beforeAll(async () => {
  app = await startPropertyApp();
  await restorePool(app);
});
afterAll(async () => { await app.close(); });

describe('GET and HEAD of every route with arbitrary Accept, X-Client-Platform, If-None-Match and Authorization', () => {
  it('never answers 5xx, always sends Vary when negotiating, problem+json for every 4xx and bodies valid against their schemas', async () => {
    await runProperty('GET and HEAD of every route', readCase, RUNS.reads, app, (c) => sendAndCheck(app, {
      method: c.method,
      path: c.path,
      headers: { accept: c.accept, 'x-client-platform': c.platform, 'if-none-match': c.ifNoneMatch, authorization: c.authorization },
    }));
  }, 120_000);
});
