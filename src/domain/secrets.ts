import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 random bytes in base62 take 43 characters (62^43 > 2^256). */
const RANDOM_CHARS = 43;
const CHECKSUM_CHARS = 6;
/** `fct_<kind>_`, the random part, then the checksum: what every secret Facet mints looks like. */
const MINTED = /^(fct_[a-z]+_)([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

/** `value` in base62, left-padded with zeros to `width` characters. */
function base62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = BASE62[Number(rest % 62n)]! + out;
    rest /= 62n;
  }
  return out.padStart(width, '0');
}

function checksumOf(body: string): string {
  return base62(BigInt(crc32(body)), CHECKSUM_CHARS);
}

/**
 * A new secret: `prefix` (such as `fct_live_`), 32 random bytes in base62 and a CRC32 checksum of
 * what precedes it, as GitHub's tokens carry one: a secret scanner recognises a leaked one, and a
 * mistyped or made-up one is refused without a store read. 256 bits, far above OWASP's 128.
 */
export function generateSecret(prefix: string): string {
  const body = prefix + base62(BigInt(`0x${randomBytes(32).toString('hex')}`), RANDOM_CHARS);
  return body + checksumOf(body);
}

/** A secret derived from another and a salt (a rotation's successor): the same shape, reproducible by whoever holds both. */
export function deriveSecret(prefix: string, from: string, salt: string): string {
  const digest = createHash('sha256').update(from).update('\0').update(salt).digest('hex');
  const body = prefix + base62(BigInt(`0x${digest}`), RANDOM_CHARS);
  return body + checksumOf(body);
}

/** Whether a minted secret's checksum holds. */
export function checksumHolds(secret: string): boolean {
  const match = MINTED.exec(secret);
  return match !== null && checksumOf(match[1]! + match[2]!) === match[3];
}

/** The prefix of a minted secret (`fct_live_`), or null for any other string. */
export function prefixOf(secret: string): string | null {
  return MINTED.exec(secret)?.[1] ?? null;
}

/**
 * Secrets are stored as their SHA-256: they are long random values, so a slow KDF buys nothing,
 * and lookups by it are indexed equality (no timing channel on the secret itself).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
