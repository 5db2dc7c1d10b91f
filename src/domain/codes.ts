import { randomInt } from 'node:crypto';

/** Custom short codes: letters, digits, `-`, `_`, 3 to 64 characters. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;

/** First path segments the service itself answers on; never a short code (compared case-insensitively). */
export const RESERVED_CODES = new Set([
  'api', 'docs', 'healthz', 'readyz', 'metrics', 'openapi', 'representations', 'problems',
  'admin', 'assets', 'static', 'login', 'logout', 'signup', 'account', 'settings', 'dashboard',
  'favicon', 'robots', 'well-known', 'help', 'about', 'status', 'www',
]);

/** True when `code` may name a link. */
export function isReservedCode(code: string): boolean {
  return RESERVED_CODES.has(code.toLowerCase());
}

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random 7-character code without look-alike characters (0/O, 1/l/I). */
export function generateCode(length = 7): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
