import { FROZEN, SHORT_NAME, typeOfName } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { generateSecret, hashSecret } from './secrets';

/** The prefix of every new API key: recognisable to secret scanners (GitHub's `ghp_` plays this part). */
export const KEY_PREFIX = 'fct_live_';

/** API keys are stored as SHA-256 hashes (hashSecret): long random secrets, for which a slow KDF buys nothing. */
export const hashKey = hashSecret;

/** A new random key: `fct_live_` + 32 random bytes in base62 + a CRC32 checksum. Shown once, stored only as its hash. */
export function generateKey(): string {
  return generateSecret(KEY_PREFIX);
}

/** A pin as stored (a representation's short name) as the contract it names; null unless that is a frozen one. */
export function pinFromName(name: string | null): VendorType | null {
  const type = name === null ? undefined : typeOfName(name);
  return type !== undefined && FROZEN.has(type) ? type : null;
}

/** A pin as stored: the contract's short name, or null for the default. */
export const pinToName = (pin: VendorType | null | undefined): string | null => (pin == null ? null : SHORT_NAME[pin]);
