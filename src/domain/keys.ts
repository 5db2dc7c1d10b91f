import { createHash, randomBytes } from 'node:crypto';
import type { KeyKind } from './types';

/** API keys are stored as SHA-256 hashes: they are long random secrets, so a slow KDF buys nothing. */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new random key: `fct_<kind>_` + 32 bytes of base64url. Shown once, stored only as its hash. */
export function generateKey(kind: KeyKind): string {
  return `fct_${kind}_${randomBytes(32).toString('base64url')}`;
}
