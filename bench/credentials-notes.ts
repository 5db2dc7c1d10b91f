/** What the tables do not say by themselves (from src/http/pipeline/dispatcher.ts, src/http/sign-in/, src/domain/). */
export const CREDENTIAL_NOTES = [
  'Where a credential\'s time goes, per request (src/http/sign-in/authenticate.ts, src/domain/sessions.ts, src/domain/token-families.ts): the key is hashed '
    + '(SHA-256) and found in an LRU of keys read from the store (demo_user_key is not a minted key, so it has no checksum to check); the access token is found '
    + 'in an LRU keyed by the token itself, with no hash and no checksum on a hit, and its expiry compared; the Cookie header is split to find exactly one '
    + '`__Host-facet_session`, whose value is found in an LRU keyed by the value itself, with no hash and no checksum on a hit; the remembered session\'s idle and '
    + 'absolute ends are compared as numbers, and its last use is written at most once a minute, off the request. A remembered session or token is the same '
    + 'object on every request, and so is its principal: a hit allocates nothing of its own. Only a value not remembered pays the checksum, the hash and one '
    + 'store read; each LRU keeps an entry 60 s, so about once a minute a credential costs one store read. None of them reads the store on a hot request.',
  'What each route reads: the dashboard takes a cookie or an Authorization header (Authorization first); the public card authenticates an Authorization '
    + 'header (a key or a token) and never reads the cookie, so its cookie row is the card without a credential; the redirect reads no credential at all, '
    + 'so its three rows send the same request but for one header, and its ratios show how far this machine\'s noise moves a ratio by itself.',
  'The burst: Facet is pinned to one CPU (taskset), so os.availableParallelism() is 1 in it and its password hasher runs one scrypt derivation at a time '
    + '(all cores but one, at least one: src/domain/passwords.ts; N=2^17, r=8: 128 MiB and about 0.35–0.5 s of CPU each), queueing the rest (up to 256; '
    + 'past that a 503 with Retry-After, which 50 sign-ins do not reach). That one libuv thread takes turns with the event loop on the one core (four threads '
    + 'did before the limit), so the card keeps what the derivation leaves of that core; unpinned on this 2-CPU machine the limit is 1 as well, and the '
    + 'derivation could run on the other core, the one the load generator has here. The sign-ins are checked one after another, so the burst lasts about 50 derivations and a '
    + 'sign-in\'s p50 in it is about half the burst\'s length.',
  'A CPU profile taken by hand at 1c86913 (node --cpu-prof, dashboard summary under wrk, the key against the cookie; not part of this run) put the '
    + 'cookie\'s extra CPU per answer then in: the session id\'s checksum, verified on every request even when the session was remembered (≈ 1.7 µs); '
    + 'the Cookie header\'s split (≈ 0.6 µs); a LiveSession with two Dates and a second LRU (lastUse) set on every request (≈ 1.5 µs); and garbage collection, '
    + 'which about doubled per answer with those allocations and a WeakMap entry per request. Of these only the split is left: sessions and access tokens '
    + 'are now remembered by the presented value, the LiveSession is built only when a route asks for it, and lastUse is set only when remembered sessions are '
    + 'forgotten; the key, in turn, still pays its SHA-256 on every request.',
  'During the burst the other users of libuv\'s four threads (the request log\'s asynchronous file writes and the fsync that each logger.flush() asks for, '
    + 'and the asynchronous zlib of the response compression) have three threads the scrypt derivation does not hold; they wait only for the CPU, not '
    + 'for the pool. Before the derivations were limited, four at once held the whole pool, and a burst that held it more than 10 s made Node print '
    + 'MaxListenersExceededWarning for SonicBoom (the logger\'s flush timer, src/observability/logger.ts, adds a drain and an error listener on every tick '
    + 'while a write is pending).',
  'The sign-in failure limits are still raised for this run: a refused attempt is now taken back (src/http/sign-in/attempts.ts), so the account is not '
    + 'locked after the burst, but every attempt still counts until its password is verified, and of 50 concurrent correct sign-ins of one account at the '
    + 'default SIGNIN_FAILURES_PER_ACCOUNT=10 the first 10 counted are answered 201 and the other 40 429 (checked on the measured source before this run: '
    + '10 × 201, 40 × 429, and one more sign-in right after got 201).',
];
