import { checksumHolds, deriveSecret, generateSecret, hashSecret, prefixOf } from '../../src/domain/secrets';
import { generateKey, hashKey, KEY_PREFIX } from '../../src/domain/keys';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `secret` with the character at `index` replaced by the next base62 character. */
function changedAt(secret: string, index: number): string {
  const next = BASE62[(BASE62.indexOf(secret[index]!) + 1) % BASE62.length]!;
  return secret.slice(0, index) + next + secret.slice(index + 1);
}

describe('generateSecret', () => {
  it('is the prefix, 43 base62 characters of randomness and a 6-character base62 checksum', () => {
    const secret = generateSecret('fct_live_');
    expect(secret).toMatch(/^fct_live_[0-9A-Za-z]{43}[0-9A-Za-z]{6}$/);
    expect(secret).toHaveLength('fct_live_'.length + 43 + 6);
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => generateSecret('fct_live_')));
    expect(secrets.size).toBe(100);
  });

  it('carries a checksum that holds', () => {
    for (let i = 0; i < 50; i += 1) expect(checksumHolds(generateSecret('fct_rt_'))).toBe(true);
  });
});

describe('checksumHolds', () => {
  it('fails when any one character of the random part or the checksum changes', () => {
    const secret = generateSecret('fct_live_');
    for (let index = 'fct_live_'.length; index < secret.length; index += 1) {
      expect(checksumHolds(changedAt(secret, index))).toBe(false);
    }
  });

  it('fails when the prefix changes, since the checksum covers it', () => {
    const secret = generateSecret('fct_live_');
    expect(checksumHolds(secret.replace('fct_live_', 'fct_user_'))).toBe(false);
  });

  it.each([
    ['the demo key', 'demo_user_key'],
    ['an old fct_user_ key', `fct_user_${'a'.repeat(43)}`],
    ['a key one character short', generateSecret('fct_live_').slice(0, -1)],
    ['the empty string', ''],
  ])('is false for %s, which has no checksum', (_name, secret) => {
    expect(checksumHolds(secret)).toBe(false);
  });
});

describe('prefixOf', () => {
  it('recognise a minted secret whatever its checksum', () => {
    const secret = generateSecret('fct_at_');
    const broken = changedAt(secret, secret.length - 1);
    expect(prefixOf(broken)).toBe('fct_at_');
  });

  it('do not recognise the old key formats', () => {
    expect(prefixOf('demo_partner_key')).toBeNull();
    expect(prefixOf(`fct_user_${'A'.repeat(43)}`)).toBeNull();
  });
});

describe('deriveSecret', () => {
  const from = generateSecret('fct_rt_');

  it('gives the same secret for the same secret and salt', () => {
    expect(deriveSecret('fct_rt_', from, 'salt-1')).toBe(deriveSecret('fct_rt_', from, 'salt-1'));
  });

  it('gives another secret for another salt or another origin', () => {
    const derived = deriveSecret('fct_rt_', from, 'salt-1');
    expect(deriveSecret('fct_rt_', from, 'salt-2')).not.toBe(derived);
    expect(deriveSecret('fct_rt_', generateSecret('fct_rt_'), 'salt-1')).not.toBe(derived);
    expect(derived).not.toBe(from);
  });

  it('has the minted shape and a checksum that holds', () => {
    const derived = deriveSecret('fct_rt_', from, 'salt-1');
    expect(derived).toMatch(/^fct_rt_[0-9A-Za-z]{49}$/);
    expect(checksumHolds(derived)).toBe(true);
  });
});

describe('hashSecret and the API keys built on it', () => {
  it('stores a secret as the hex SHA-256 of it, the same every time', () => {
    const secret = generateKey();
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toBe(hashSecret(changedAt(secret, 20)));
  });

  it('mints API keys as fct_live_ secrets', () => {
    const key = generateKey();
    expect(KEY_PREFIX).toBe('fct_live_');
    expect(prefixOf(key)).toBe('fct_live_');
    expect(checksumHolds(key)).toBe(true);
  });
});
