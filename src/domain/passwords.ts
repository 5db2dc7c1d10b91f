import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';

/** OWASP Password Storage Cheat Sheet, scrypt: N=2^17, r=8, p=1. */
export const OWASP_SCRYPT_LOG_N = 17;
/** NIST SP 800-63B §5.1.1.1: at least 8 characters; Facet accepts up to 128. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** PHC string format: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, both base64 without padding. */
const STORED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Hashes and verifies passwords; scrypt runs in libuv's thread pool, never on the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` matches `stored`, in time independent of where they differ. */
  verify(password: string, stored: string): Promise<boolean>;
  /** Spends a verification's time on nothing: an unknown e-mail costs what a wrong password does. */
  verifyNothing(password: string): Promise<void>;
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // 128 · N · r bytes of memory; Node refuses more than 32 MiB unless told.
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? 8) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** NIST SP 800-63B §5.1.1.2: Unicode passwords are normalised (NFKC) before hashing, so one password has one spelling. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Thrown when more password checks wait than a hasher queues: answered 503 with Retry-After. */
export class HasherBusyError extends Error {}

/**
 * Runs at most `limit` derivations at once, queueing up to `maxQueued` more: a burst of sign-ins
 * keeps a core (and libuv threads for file and DNS work) for everything else the process serves.
 */
function createGate(limit: number, maxQueued: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function gated(work) {
    if (running >= limit) {
      if (waiting.length >= maxQueued) throw new HasherBusyError('Too many sign-ins are being checked at once; retry in a moment.');
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** scrypt derivations at once: all cores but one, at least one. */
export const DEFAULT_HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);

/** A hasher at cost 2^logN (OWASP_SCRYPT_LOG_N in production; tests pass less to run fast). */
export function createPasswordHasher(logN = OWASP_SCRYPT_LOG_N, limits: { concurrency?: number; maxQueued?: number } = {}): PasswordHasher {
  const options = { N: 2 ** logN, r: 8, p: 1 };
  const gated = createGate(limits.concurrency ?? DEFAULT_HASH_CONCURRENCY, limits.maxQueued ?? 256);
  async function hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await gated(() => derive(normalisePassword(password), salt, options));
    const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
    return `$scrypt$ln=${logN},r=${options.r},p=${options.p}$${b64(salt)}$${b64(key)}`;
  }
  async function verify(password: string, stored: string): Promise<boolean> {
    const m = STORED.exec(stored);
    if (!m) return false;
    const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // A stored hash decides its own cost, so raising OWASP_SCRYPT_LOG_N never locks anyone out.
    if (ln < 1 || ln > 24 || r < 1 || p < 1) return false;
    const expected = Buffer.from(m[5]!, 'base64');
    const key = await gated(() => derive(normalisePassword(password), Buffer.from(m[4]!, 'base64'), { N: 2 ** ln, r, p }));
    return key.length === expected.length && timingSafeEqual(key, expected);
  }
  // Made at once, so even the first unknown e-mail costs one verification, not a hash and one.
  const decoy = hash('a decoy password, never anyone\'s');
  decoy.catch(() => undefined);
  return {
    hash,
    verify,
    async verifyNothing(password) {
      await verify(password, await decoy);
    },
  };
}
