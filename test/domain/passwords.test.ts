import { createPasswordHasher, DEFAULT_HASH_CONCURRENCY, HasherBusyError, normalisePassword, OWASP_SCRYPT_LOG_N } from '../../src/domain/passwords';

/** The cheap cost the other tests use; the default is checked once, below. */
const hasher = createPasswordHasher(10);

describe('createPasswordHasher', () => {
  it('hashes at OWASP\'s scrypt N=2^17, r=8, p=1 by default, in the PHC string format', async () => {
    expect(OWASP_SCRYPT_LOG_N).toBe(17);
    const stored = await createPasswordHasher().hash('a correct horse');
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('battery staple');
    expect(await hasher.verify('battery staple', stored)).toBe(true);
    expect(await hasher.verify('battery stapler', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('salts every hash, so one password is stored differently each time', async () => {
    const [one, two] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(one).not.toBe(two);
    expect(await hasher.verify('same password', two)).toBe(true);
  });

  it('verifies at the cost stored in the hash, so a hasher of another cost still verifies it', async () => {
    const stored = await createPasswordHasher(11).hash('older password');
    expect(stored).toMatch(/^\$scrypt\$ln=11,/);
    expect(await hasher.verify('older password', stored)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['another algorithm', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'],
    ['a cost out of range', '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA'],
  ])('refuses to verify against %s', async (_name, stored) => {
    expect(await hasher.verify('anything', stored)).toBe(false);
  });

  it('normalises to NFKC, so the ligature ﬁ and the letters fi are one password', async () => {
    expect(normalisePassword('\uFB01nance-password')).toBe('finance-password');
    const stored = await hasher.hash('\uFB01nance-password');
    expect(await hasher.verify('finance-password', stored)).toBe(true);
    const plain = await hasher.hash('finance-password');
    expect(await hasher.verify('\uFB01nance-password', plain)).toBe(true);
    expect(await hasher.verify('finance-passwore', plain)).toBe(false);
  });

  it('does not block the event loop while hashing: a setImmediate callback runs while a hash is in flight', async () => {
    const slow = createPasswordHasher(15);
    let inFlight = true;
    const hashing = slow.hash('a password that takes a while').finally(() => { inFlight = false; });
    const ranDuringHash = await new Promise<boolean>((resolve) => setImmediate(() => resolve(inFlight)));
    expect(ranDuringHash).toBe(true);
    await hashing;
    expect(inFlight).toBe(false);
  });

  it('checks at most `concurrency` passwords at once and refuses past its queue, so a burst of sign-ins cannot take every core', async () => {
    const gated = createPasswordHasher(10, { concurrency: 1, maxQueued: 1 });
    const outcomes = await Promise.allSettled([gated.hash('password one'), gated.hash('password two'), gated.hash('password three')]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const o of refused) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(HasherBusyError);
    // Queued ones still run, in turn.
    const roomy = createPasswordHasher(10, { concurrency: 1, maxQueued: 10 });
    const all = await Promise.all(['a password 1', 'a password 2', 'a password 3'].map((p) => roomy.hash(p)));
    expect(new Set(all).size).toBe(3);
    expect(DEFAULT_HASH_CONCURRENCY).toBeGreaterThanOrEqual(1);
  });
});
