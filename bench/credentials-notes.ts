/** What the tables do not say by themselves (from src/http/fast-path.ts, src/http/sign-in/, src/domain/). */
export const CREDENTIAL_NOTES = [
  'Where a credential\'s time goes, per request (src/http/sign-in/authenticate.ts): the key is hashed (SHA-256) and found in an LRU of keys read from the store; '
    + 'the access token\'s CRC32 checksum is checked, then it is hashed and found in an LRU of tokens; the cookie header is split to find exactly one '
    + '`__Host-facet_session`, whose checksum is checked, then it is hashed and found in an LRU of sessions, which also computes the sliding idle end '
    + '(two Dates) and writes the last use at most once a minute, off the request. Each LRU keeps an entry 60 s, so about once a minute a credential costs one store read. '
    + 'None of them reads the store on a hot request.',
  'What each route reads: the dashboard takes a cookie or an Authorization header (Authorization first); the public card authenticates an Authorization '
    + 'header (a key or a token) and never reads the cookie, so its cookie row is the card without a credential; the redirect reads no credential at all, '
    + 'so its three rows send the same request but for one header, and its ratios show how far this machine\'s noise moves a ratio by itself.',
  'The burst: Facet is pinned to one CPU (taskset), and so are libuv\'s four threads, where scrypt runs (N=2^17, r=8: 128 MiB and about 0.35–0.5 s of CPU each). '
    + 'They take turns with the event loop on that one core, so the card\'s throughput and latency during the burst are what is left of one core; '
    + 'unpinned on this 2-CPU machine, the threads would also use the other core, the one the load generator has here. The sign-ins queue for the four threads, '
    + 'so a sign-in\'s p50 in the burst is about half the burst\'s length.',
  'A CPU profile taken by hand (node --cpu-prof, dashboard summary under wrk, the key against the cookie, source 1c86913; not part of this run) puts '
    + 'the cookie\'s extra CPU per answer in: the checksum of the session id, verified on every request even when the session is remembered (node:zlib crc32 '
    + 'and a BigInt base62 loop, with the id\'s regular expression run twice, by prefixOf and by checksumHolds: ≈ 1.7 µs); the Cookie header\'s split (≈ 0.6 µs); '
    + 'the session lookup, which builds a LiveSession with two Dates and sets a second LRU (lastUse) on every request (≈ 1.5 µs); and garbage collection, '
    + 'which about doubles per answer (≈ 2.5 → 5 µs) with those allocations and a WeakMap entry per request (sessionsOf). The access token pays the same checksum; '
    + 'the key (demo_user_key is not a minted secret) pays only its hash and an LRU lookup.',
  'During the burst every other user of libuv\'s four threads waits behind the scrypt jobs: the request log\'s asynchronous file writes and the fsync '
    + 'that each logger.flush() asks for (pino hands SonicBoom a callback, so it waits for the drain and then fsyncs), and the asynchronous zlib of '
    + 'src/http/encoding/compress.ts. The logger\'s flush timer (every second, src/observability/logger.ts) adds a drain and an error listener to SonicBoom on '
    + 'every tick while a write is pending, so a burst that holds the pool for more than 10 s makes Node print MaxListenersExceededWarning for SonicBoom, '
    + 'and the log lines wait in memory until the pool is free.',
  'The sign-in failure limits are raised for this run: every attempt counts as a failure until its password is verified (src/http/sign-in/attempts.ts), '
    + 'so at the default SIGNIN_FAILURES_PER_ACCOUNT=10 all but 10 of 50 concurrent correct sign-ins of one account are answered 429 — and those 429s are never '
    + 'taken back, so the account then stays locked for the window.',
];
