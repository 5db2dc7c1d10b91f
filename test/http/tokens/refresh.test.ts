import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createClock, expectOAuthError, expectTokens, refresh, rotate, signIn, withBearer } from './token-client';

const clock = createClock();
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ now: () => clock.now }); });
afterAll(async () => { await t.close(); });
beforeEach(() => clock.reset());

/** Asserts that an access token authenticates GET /api/me. */
async function expectWorks(accessToken: string): Promise<void> {
  const res = await withBearer(t, accessToken);
  expect(res.status).toBe(200);
  expectValidBody(t.registry, res, 'me');
}

/** Asserts that an access token is refused with 401 invalid-token. */
async function expectRefused(accessToken: string): Promise<void> {
  expectProblem(t.registry, await withBearer(t, accessToken), 401, 'invalid-token');
}

describe('POST /oauth/token grant_type=refresh_token', () => {
  it('answers a new access token and a new refresh token, and retires the presented one', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    expect(b.token_type).toBe('Bearer');
    expect(b.expires_in).toBe(900);
    expect(b.access_token).not.toBe(a.access_token);
    expect(b.refresh_token).not.toBe(a.refresh_token);
    await expectWorks(b.access_token);
    // The old access token lives on until it expires; only the refresh token is single use.
    await expectWorks(a.access_token);
  });

  it('rotates twice in a row, each time from the latest refresh token', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    clock.advance(60);
    const c = await rotate(t, b.refresh_token);
    expect(new Set([a.refresh_token, b.refresh_token, c.refresh_token]).size).toBe(3);
    await expectWorks(c.access_token);
    clock.advance(60);
    const d = await rotate(t, c.refresh_token);
    await expectWorks(d.access_token);
  });

  it('gives the new access token a lifetime from the refresh, not from the sign-in', async () => {
    const a = await signIn(t);
    clock.advance(800);
    const b = await rotate(t, a.refresh_token);
    clock.advance(200);
    await expectRefused(a.access_token);
    await expectWorks(b.access_token);
  });
});

describe('reuse of a retired refresh token (RFC 9700 §4.14.2)', () => {
  it('answers invalid_grant and revokes the whole family: its latest refresh token and every access token', async () => {
    const a = await signIn(t);
    clock.advance(60);
    const b = await rotate(t, a.refresh_token);
    clock.advance(60);
    const c = await rotate(t, b.refresh_token);
    // Each access token was used, so a remembered one must be forgotten too.
    for (const tokens of [a, b, c]) await expectWorks(tokens.access_token);

    expectOAuthError(t, await refresh(t, a.refresh_token), 'invalid_grant');

    expectOAuthError(t, await refresh(t, c.refresh_token), 'invalid_grant');
    for (const tokens of [a, b, c]) await expectRefused(tokens.access_token);
    expectProblem(t.registry, await withBearer(t, c.access_token, '/api/dashboard'), 401, 'invalid-token');
  });

  it('leaves the user\'s other families alone', async () => {
    const phone = await signIn(t);
    const tablet = await signIn(t);
    clock.advance(60);
    const phone2 = await rotate(t, phone.refresh_token);
    await rotate(t, phone2.refresh_token);
    expectOAuthError(t, await refresh(t, phone.refresh_token), 'invalid_grant');
    await expectWorks(tablet.access_token);
    await expectWorks((await rotate(t, tablet.refresh_token)).access_token);
  });

  it('keeps refusing a revoked family, whichever of its tokens comes next', async () => {
    const a = await signIn(t);
    clock.advance(60);
    const b = await rotate(t, a.refresh_token);
    clock.advance(60);
    await rotate(t, b.refresh_token);
    expectOAuthError(t, await refresh(t, a.refresh_token), 'invalid_grant');
    expectOAuthError(t, await refresh(t, b.refresh_token), 'invalid_grant');
    expectOAuthError(t, await refresh(t, a.refresh_token), 'invalid_grant');
  });
});

describe('the grace of the latest retired refresh token (REFRESH_GRACE_SECONDS, 30 by default)', () => {
  it('answers the same successor again within the grace, with a new access token that works, revoking nothing', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    clock.advance(10);
    const again = await rotate(t, a.refresh_token);
    expect(again.refresh_token).toBe(b.refresh_token);
    expect(again.access_token).not.toBe(b.access_token);
    await expectWorks(again.access_token);
    await expectWorks(b.access_token);
    await expectWorks(a.access_token);
    const c = await rotate(t, b.refresh_token);
    await expectWorks(c.access_token);
  });

  it('answers the grace replay at 29 s after the rotation', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    clock.advance(29);
    expect((await rotate(t, a.refresh_token)).refresh_token).toBe(b.refresh_token);
  });

  it('gives no grace to a token two generations old, even within 30 s: it is reuse (django-oauth-toolkit #1617)', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    clock.advance(5);
    const c = await rotate(t, b.refresh_token);
    clock.advance(5);
    expectOAuthError(t, await refresh(t, a.refresh_token), 'invalid_grant');
    expectOAuthError(t, await refresh(t, c.refresh_token), 'invalid_grant');
    await expectRefused(c.access_token);
  });

  it('treats the retired token after the grace (31 s) as reuse and revokes the family', async () => {
    const a = await signIn(t);
    const b = await rotate(t, a.refresh_token);
    await expectWorks(b.access_token);
    clock.advance(31);
    expectOAuthError(t, await refresh(t, a.refresh_token), 'invalid_grant');
    expectOAuthError(t, await refresh(t, b.refresh_token), 'invalid_grant');
    await expectRefused(b.access_token);
    await expectRefused(a.access_token);
  });
});

describe('with REFRESH_GRACE_SECONDS=0', () => {
  let strict: TestApp;
  beforeAll(async () => { strict = await createTestApp({ now: () => clock.now, config: { signIn: { refreshGraceSeconds: 0 } } }); });
  afterAll(async () => { await strict.close(); });

  it('treats a retired token presented a second later as reuse', async () => {
    const a = await signIn(strict);
    const b = await rotate(strict, a.refresh_token);
    clock.advance(1);
    expectOAuthError(strict, await refresh(strict, a.refresh_token), 'invalid_grant');
    expectOAuthError(strict, await refresh(strict, b.refresh_token), 'invalid_grant');
  });
});

describe('two concurrent refreshes of one refresh token', () => {
  it('both succeed with the same new refresh token, and the family still works afterwards', async () => {
    const a = await signIn(t);
    const [first, second] = await Promise.all([refresh(t, a.refresh_token), refresh(t, a.refresh_token)]);
    const one = expectTokens(t, first);
    const two = expectTokens(t, second);
    expect(two.refresh_token).toBe(one.refresh_token);
    expect(two.access_token).not.toBe(one.access_token);
    await expectWorks(one.access_token);
    await expectWorks(two.access_token);
    const next = await rotate(t, one.refresh_token);
    await expectWorks(next.access_token);
    await expectWorks(one.access_token);
  });
});
