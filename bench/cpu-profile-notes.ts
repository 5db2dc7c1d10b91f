/**
 * What the profiles say, written by hand from a `--cpu-profile` run (34f706d, warn ÷ silent gaps from
 * the `--cpu` run of the same build); kept below the generated tables, so check them after a rerun.
 */
export const PROFILE_NOTES: string[] = [
  '### Reading the gap, and what to do about it',
  '',
  'The gap to account for, unprofiled (CPU per answer section, Facet warn − Fastify silent): card 200 17.5 µs, 304 17.0 µs, redirect 31.5 µs. '
    + 'The profiler sees 16.2, 8.0 and 29.3 µs of it on the main thread; the rest is off the main thread (GC helper threads, libuv) and the profiler\'s own cost.',
  '',
  'Not where the time goes: Express\'s router and layers (the dispatcher answers these three without them: no sample in express or router), '
    + 'ETag matching (< 0.05 µs), negotiation (choose, memoised: 0.4–0.5 µs), the request log at warn (one isLevelEnabled). '
    + 'What Fastify pays and Facet does not: about 3 µs of process.nextTick and its task queue (its reply lifecycle) and 1–1.6 µs in fastify itself.',
  '',
  'Candidates, ranked by the µs they would save summed over the three answers (estimates from the self and inclusive times above; each needs its own A/B with `--cpu`):',
  '',
  '| # | candidate | where | evidence (Facet warn vs Fastify silent, µs/answer) | est. saving card / 304 / redirect |',
  '|--:|---|---|---|--:|',
  '| 1 | One `writeHead(status, flatArray)` per answer: nosniff and Vary folded into the prepared raw header list instead of `setHeader` before the route and a merge in writeHead | src/http/answer/respond.ts (servePrepared), the /api Vary stage (src/http/pipeline/pipeline.ts), security headers in src/app.ts | setHeader incl. 1.4–2.6 vs 0; writeHead incl. 2.6–4.0 vs 0.7–1.3; _storeHeader 0.6–1.0 vs 0.3 | 3–5 / 3–4 / 3–5 |',
  '| 2 | Metrics: keep plain numbers (count, bytes, bucket counts) on the bound children and hand them to prom-client in a `collect()` at scrape; a precomputed key per route instead of a template string per request | src/observability/metrics.ts, src/http/pipeline/request-log.ts | prom-client + metrics.ts self 2.6–3.5 (observeRequest incl. 2.2–3.2, childrenOf 0.5) vs 0 | 2–3 / 2–2.5 / 2–3 |',
  '| 3 | Click recording: count clicks per code in memory and write one row per code per batch, not a row (and a roll-up) per click | src/store/sqlite/clicks.ts, src/store/click-rollups.ts, src/domain/clicks.ts | clicks.ts + click-rollups.ts + better-sqlite3 self 4.5 (insertBatch incl. 4.2, on the event loop); GC 2.9 vs 1.0 | – / – / 4–6 |',
  '| 4 | The response\'s constructor: `bornWith` makes node\'s OutgoingMessage constructor run on an object whose prototype is Express\'s `app.response`; its ~25 property stores are not V8\'s fast constructor path | src/http/pipeline/server.ts | OutgoingMessage self 1.4–2.1 vs ≈ 0 (Born incl. 1.7–2.7); weigh against the setPrototypeOf it avoids on the Express path | 1.5–2 / 1.4 / 1.5–2 |',
  '| 5 | Fewer header bytes: the redirect sends 350 wire bytes against Fastify\'s 207 (RateLimit-Policy, RateLimit, nosniff) and the card 631 against 613 | the redirect\'s and the card\'s header lists | the write syscall (loopback send) 11.75 vs 8.7 on the redirect, 11.5 vs 9.3 on the card, 8.3 vs 9.0 on the 304 | ≈ 2 / 0 / ≈ 3 — a contract decision, not a refactor |',
  '| 6 | The visit limit: a fixed-window integer counter per address instead of the current structure | src/http/guards/rate-limit.ts (countVisit) | rate-limit.ts self 1.2–1.4 (incl. 1.6) | – / – / ≈ 1 |',
  '| 7 | Small items: the recorder reads `Content-Type` and `Content-Length` back with getHeader (the route knows them); lru-cache get for the prepared answer; trackInFlight per request | src/http/pipeline/request-log.ts, src/http/answer/link-card.ts, src/http/pipeline/shutdown.ts | request-log self 0.3–0.6, lru-cache 0.45–0.6, shutdown.ts 0.5 (304) | ≈ 1 / ≈ 1 / ≈ 1 |',
  '',
  'Together 1, 2, 4 and 7 come to about 8–11 µs of the card\'s and the 304\'s 17 µs, and 1–4, 6 and 7 to about 13–19 µs of the redirect\'s 31.5 µs; '
    + 'what remains is node:http work both pay, done more often per answer by Facet (node:_http_server, node:events and the streams, 1–2 µs more), and GC.',
  '',
  'Outside the profile: the 50-link page costs Facet 468 µs per answer against Fastify\'s 103.5 µs (Fastify answers from the fixture; Facet reads the links, shapes, '
    + 'serialises and hashes the page on every request, as the Compression section says). It is the largest absolute gap, and a prepared page kept per user and links version would remove most of it; '
    + 'it was not profiled here. The request log costs Facet 7.5–9 µs per answer (info − warn) against Fastify\'s 17.5–19.5 µs (logger: true − false; two lines a request).',
  '',
  'Throughput is not CPU: in every scenario Facet at warn answers fewer req/s than Facet at info though it spends less CPU per answer (card: 6,370 req/s at 41.5 µs, ≈ 26 % of its core), '
    + 'consistently over the interleaved runs. It waits rather than computes: a likely cause is the wake-up latency of an idle vCPU on this VM (the info Facet keeps its core busier with the log), '
    + 'not yet confirmed. That is why this section compares CPU per answer rather than req/s. The peer comparison\'s wrk cap (60,000 requests a second of run) also caps the ceiling there at 60,000 req/s.',
];
