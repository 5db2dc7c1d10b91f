import request from 'supertest';
import type { Response } from 'supertest';
import { expectProblem } from '../../helpers/schema';
import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import type { Account } from './sign-in-helpers';
import { ADA, expectJsonBody, freshEmail, GRACE, postSession, register, setCookiesOf, signIn } from './sign-in-helpers';

/** A day-long window: the sign-in limits count on the wall clock, and no test should straddle a window's end. */
const WINDOW_SECONDS = 86_400;

/** POST /api/tokens with an e-mail and password, as the mobile app signs in. */
const postTokens = (t: TestApp, account: Account) => request(t.app).post('/api/tokens').set('Content-Type', 'application/json').send(JSON.stringify(creds(account)));

/** Just the e-mail and password of an account: the credentials schema allows nothing else. */
const creds = (account: Account) => ({ email: account.email, password: account.password });

/** Asserts the 429 of a refused sign-in: a problem with a Retry-After within the window, and no credential. */
function expectLimited(t: TestApp, res: Response): void {
  expectProblem(t.registry, res, 429, 'rate-limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(setCookiesOf(res)).toEqual([]);
}

const wrong = (account: Account) => ({ email: account.email, password: `${account.password} (wrong)` });

describe('failed sign-ins per account (SIGNIN_FAILURES_PER_ACCOUNT = 3)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ config: { signIn: { failuresPerAccount: 3, failuresPerAddress: 1000, failureWindowSeconds: WINDOW_SECONDS } } }); });
  afterAll(async () => { await t.close(); });

  it('answers the fourth attempt after three failures with 429 and Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i += 1) expectProblem(t.registry, await postSession(t, wrong(ADA)), 401, 'invalid-credentials');
    expectLimited(t, await postSession(t, creds(ADA)));
    expectLimited(t, await postTokens(t, ADA));
  });

  it('limits an unknown e-mail the same way, so the limit tells nothing either', async () => {
    const nobody = { email: freshEmail('nobody'), password: 'whatever it is' };
    for (let i = 0; i < 3; i += 1) expectProblem(t.registry, await postSession(t, nobody), 401, 'invalid-credentials');
    expectLimited(t, await postSession(t, nobody));
  });

  it('counts an address in any case as the same account', async () => {
    const account = { email: freshEmail('case'), password: 'a fine password' };
    await register(t, account);
    for (const email of [account.email.toUpperCase(), ` ${account.email} `, account.email]) {
      expectProblem(t.registry, await postSession(t, { email, password: 'not it at all' }), 401, 'invalid-credentials');
    }
    expectLimited(t, await postSession(t, creds(account)));
  });

  it('shares the count between POST /api/session and POST /api/tokens', async () => {
    const account = { email: freshEmail('shared'), password: 'a fine password' };
    await register(t, account);
    expectProblem(t.registry, await postSession(t, wrong(account)), 401, 'invalid-credentials');
    expectProblem(t.registry, await postTokens(t, wrong(account)), 401, 'invalid-credentials');
    expectProblem(t.registry, await postSession(t, wrong(account)), 401, 'invalid-credentials');
    expectLimited(t, await postTokens(t, account));
  });

  it('counts only failures: successful sign-ins in between leave the quota as it was', async () => {
    const account = { email: freshEmail('success'), password: 'a fine password' };
    await register(t, account);
    for (let i = 0; i < 2; i += 1) expectProblem(t.registry, await postSession(t, wrong(account)), 401, 'invalid-credentials');
    for (let i = 0; i < 4; i += 1) await signIn(t, account);
    const tokens = await postTokens(t, account);
    expect(tokens.status).toBe(200);
    expectJsonBody(t, tokens, 'tokenResponse');
    expectProblem(t.registry, await postSession(t, wrong(account)), 401, 'invalid-credentials');
    expectLimited(t, await postSession(t, creds(account)));
  });

  it('leaves every other account free to sign in', async () => {
    for (let i = 0; i < 4; i += 1) await postSession(t, wrong(ADA));
    expectLimited(t, await postSession(t, creds(ADA)));
    const grace = await signIn(t, GRACE);
    expect(grace.body.user.email).toBe(GRACE.email);
  });
});

describe('failed sign-ins per address (SIGNIN_FAILURES_PER_ADDRESS = 3)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ config: { signIn: { failuresPerAccount: 100, failuresPerAddress: 3, failureWindowSeconds: WINDOW_SECONDS } } }); });
  afterAll(async () => { await t.close(); });

  it('refuses an address that failed three times, with different e-mails, even for a right password of another account', async () => {
    for (const email of [freshEmail('a'), freshEmail('b'), ADA.email]) {
      expectProblem(t.registry, await postSession(t, { email, password: 'guess number one' }), 401, 'invalid-credentials');
    }
    expectLimited(t, await postSession(t, creds(GRACE)));
    expectLimited(t, await postTokens(t, { email: freshEmail('d'), password: 'guess number two' }));
  });
});
