import request from 'supertest';
import { FULL } from '../../../representations/media-types';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { bearer } from '../http-expect';
import { signIn } from './sign-in-helpers';

/** Two writes per credential and window, many per address: only the per-credential quota can bite. */
const WRITES_PER_KEY = 2;

let t: TestApp;
beforeAll(async () => { t = await createTestApp({ rateLimits: { windowSeconds: 86_400, writesPerKey: WRITES_PER_KEY, writesPerAddress: 1000 } }); });
afterAll(async () => { await t.close(); });

let serial = 0;
/** POST /api/links with these headers; a fresh code each time. */
function createLink(headers: Record<string, string>) {
  serial += 1;
  const code = `limit-${serial}`;
  return request(t.app).post('/api/links').set(headers).set('Accept', FULL).set('Content-Type', 'application/json')
    .send(JSON.stringify({ url: `https://example.com/${code}`, code }));
}

describe('write limits of a session (writes-per-key counts the session as it counts a key)', () => {
  it('limits an API key\'s writes to WRITES_PER_KEY per window (the reference)', async () => {
    for (let i = 0; i < WRITES_PER_KEY; i += 1) expect((await createLink({ Authorization: bearer(KEYS.other) })).status).toBe(201);
    const res = await createLink({ Authorization: bearer(KEYS.other) });
    expectProblem(t.registry, res, 429, 'rate-limited');
    expect(res.headers['ratelimit-policy']).toMatch(/writes-per-key/);
  });

  it('limits a session\'s cookie-authenticated writes the same way, naming writes-per-key in RateLimit-Policy', async () => {
    const session = await signIn(t);
    const headers = { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken };
    const first = await createLink(headers);
    expect(first.status).toBe(201);
    expectValidBody(t.registry, first, 'link');
    expect((await createLink(headers)).status).toBe(201);
    expectProblem(t.registry, await createLink(headers), 429, 'rate-limited');
    expect(first.headers['ratelimit-policy']).toMatch(/writes-per-key/);
  });
});
