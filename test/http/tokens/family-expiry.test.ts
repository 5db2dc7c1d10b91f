import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { createClock, expectOAuthError, refresh, rotate, signIn } from './token-client';

const clock = createClock();
let t: TestApp;
// Idle 100 s, absolute 250 s: small enough to cross with the clock, the grace (30 s) well inside both.
beforeAll(async () => { t = await createTestApp({ now: () => clock.now, config: { signIn: { refreshIdleSeconds: 100, refreshAbsoluteSeconds: 250 } } }); });
afterAll(async () => { await t.close(); });
beforeEach(() => clock.reset());

describe('refresh-token family lifetimes', () => {
  it('rotates a family used within its idle time, which slides with every refresh', async () => {
    let tokens = await signIn(t);
    for (let i = 0; i < 2; i += 1) {
      clock.advance(99);
      tokens = await rotate(t, tokens.refresh_token);
    }
  });

  it('answers invalid_grant once the family has been idle for REFRESH_IDLE_SECONDS', async () => {
    const a = await signIn(t);
    clock.advance(50);
    const b = await rotate(t, a.refresh_token);
    clock.advance(100);
    expectOAuthError(t, await refresh(t, b.refresh_token), 'invalid_grant');
  });

  it('answers invalid_grant REFRESH_ABSOLUTE_SECONDS after sign-in, however often it was refreshed', async () => {
    let tokens = await signIn(t);
    for (let i = 0; i < 4; i += 1) {
      clock.advance(60);
      tokens = await rotate(t, tokens.refresh_token);
    }
    clock.advance(10); // 250 s since sign-in, 10 s since the last refresh
    expectOAuthError(t, await refresh(t, tokens.refresh_token), 'invalid_grant');
  });

  it('gives no grace replay once the family has reached its absolute end, though the grace has not', async () => {
    let previous = await signIn(t);
    let latest = previous;
    for (let i = 0; i < 3; i += 1) {
      clock.advance(80);
      previous = latest;
      latest = await rotate(t, previous.refresh_token);
    }
    clock.advance(5); // 245 s: the token retired at 240 s is in its grace
    expect((await rotate(t, previous.refresh_token)).refresh_token).toBe(latest.refresh_token);
    clock.advance(5); // 250 s: the family's absolute end, 10 s into the grace
    expectOAuthError(t, await refresh(t, previous.refresh_token), 'invalid_grant');
    expectOAuthError(t, await refresh(t, latest.refresh_token), 'invalid_grant');
  });
});
