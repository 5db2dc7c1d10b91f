import request from 'supertest';
import { FULL } from '../../../representations/media-types';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp, FIXED_NOW } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import type { SessionBody, SignedIn } from './sign-in-helpers';
import { expectJsonBody, freshEmail, register, setCookiesOf, signIn } from './sign-in-helpers';

const IDLE_SECONDS = 60;
const ABSOLUTE_SECONDS = 300;

/** The app's clock: each test starts a day after the last, so sessions of earlier tests are long dead. */
let clock = new Date(FIXED_NOW);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock, config: { signIn: { sessionIdleSeconds: IDLE_SECONDS, sessionAbsoluteSeconds: ABSOLUTE_SECONDS } } });
});
afterAll(async () => { await t.close(); });

let start = FIXED_NOW.getTime();
beforeEach(() => {
  start += 86_400_000;
  clock = new Date(start);
});

/** Moves the clock to `seconds` after this test's sign-in. */
const at = (seconds: number) => { clock = new Date(start + seconds * 1000); };
const iso = (seconds: number) => new Date(start + seconds * 1000).toISOString();

/** GET /api/session with the cookie: its body when live, null when 401. */
async function sessionNow(session: SignedIn): Promise<SessionBody | null> {
  const res = await request(t.app).get('/api/session').set('Cookie', session.cookie);
  if (res.status === 401) {
    expectProblem(t.registry, res, 401, 'unauthorized');
    return null;
  }
  expect(res.status).toBe(200);
  return expectJsonBody<SessionBody>(t, res, 'session');
}

/** GET `path` with the cookie: its status, the body validated. */
async function use(session: SignedIn, path: '/api/me' | '/api/dashboard'): Promise<number> {
  const res = await request(t.app).get(path).set('Cookie', session.cookie).set('Accept', FULL);
  if (res.status === 401) expectProblem(t.registry, res, 401, 'unauthorized');
  else expectValidBody(t.registry, res, path === '/api/me' ? 'me' : 'dashboard');
  return res.status;
}

describe('idle timeout (SESSION_IDLE_SECONDS, sliding)', () => {
  it('states both ends at sign-in and sets the cookie for the absolute lifetime', async () => {
    const session = await signIn(t);
    expect(session.body.expiresAt).toBe(iso(ABSOLUTE_SECONDS));
    expect(session.body.idleExpiresAt).toBe(iso(IDLE_SECONDS));
    expect(setCookiesOf(session.res)[0]).toContain(`Max-Age=${ABSOLUTE_SECONDS};`);
  });

  it('keeps a session used just before its idle end', async () => {
    const session = await signIn(t);
    at(IDLE_SECONDS - 1);
    expect((await sessionNow(session))?.idleExpiresAt).toBe(iso(2 * IDLE_SECONDS - 1));
  });

  it('ends a session left unused past the idle timeout, on every route', async () => {
    const session = await signIn(t);
    at(IDLE_SECONDS + 1);
    expect(await use(session, '/api/me')).toBe(401);
    expect(await use(session, '/api/dashboard')).toBe(401);
    expect(await sessionNow(session)).toBeNull();
  });

  it('slides the idle end with every use, whichever route uses it', async () => {
    const session = await signIn(t);
    at(40);
    expect(await use(session, '/api/me')).toBe(200);
    at(90); // past the first idle end (60), within 60 s of the last use
    expect(await use(session, '/api/dashboard')).toBe(200);
    at(145);
    expect((await sessionNow(session))?.idleExpiresAt).toBe(iso(205));
    at(204);
    expect(await use(session, '/api/me')).toBe(200);
    at(204 + IDLE_SECONDS + 1);
    expect(await use(session, '/api/me')).toBe(401);
  });

  it('stays ended once idle, though the clock is not moved again', async () => {
    const session = await signIn(t);
    at(IDLE_SECONDS + 5);
    expect(await sessionNow(session)).toBeNull();
    expect(await sessionNow(session)).toBeNull();
    expect(await use(session, '/api/me')).toBe(401);
  });
});

describe('absolute lifetime (SESSION_ABSOLUTE_SECONDS)', () => {
  it('ends a session at its absolute end however often it is used, never stating an idle end past it', async () => {
    const session = await signIn(t);
    for (let s = 50; s < ABSOLUTE_SECONDS; s += 50) {
      at(s);
      const live = await sessionNow(session);
      expect(live).not.toBeNull();
      expect(live!.expiresAt).toBe(iso(ABSOLUTE_SECONDS));
      expect(live!.idleExpiresAt).toBe(iso(Math.min(s + IDLE_SECONDS, ABSOLUTE_SECONDS)));
    }
    at(ABSOLUTE_SECONDS);
    expect(await use(session, '/api/me')).toBe(401);
    expect(await sessionNow(session)).toBeNull();
  });

  it('gives a new sign-in a new absolute end', async () => {
    const first = await signIn(t);
    at(ABSOLUTE_SECONDS - 10);
    const second = await signIn(t);
    expect(second.body.expiresAt).toBe(iso(2 * ABSOLUTE_SECONDS - 10));
    at(ABSOLUTE_SECONDS + 10);
    expect(await sessionNow(first)).toBeNull();
    expect((await sessionNow(second))?.user.id).toBe('usr_ada');
  });
});

describe('sliding after this instance forgets its remembered sessions', () => {
  it('keeps a session used within the idle timeout when another user\'s password change empties the session cache', async () => {
    const other = { email: freshEmail('forgetter'), password: 'a password to change' };
    await register(t, other);
    const session = await signIn(t);
    at(IDLE_SECONDS - 1);
    expect(await use(session, '/api/me')).toBe(200); // last use: idle end now 2 × IDLE_SECONDS - 1
    const changer = await signIn(t, other);
    const change = await request(t.app).post('/api/me/password').set('Cookie', changer.cookie).set('X-CSRF-Token', changer.csrfToken)
      .set('Content-Type', 'application/json').send(JSON.stringify({ currentPassword: other.password, newPassword: 'the changed password' }));
    expect(change.status).toBe(204);
    at(IDLE_SECONDS + 20); // 21 s after the last use
    expect(await use(session, '/api/me')).toBe(200);
  });
});
