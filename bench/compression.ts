import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMPRESSION_SCENARIOS, fetchCompressionFixtures, fillLinkPage, LOADED_ANSWERS, measureSizes, PAGE_SIZE, probeCompressed, SEED_ANSWERS } from './compression-fixtures';
import { COMPRESSION_SERVERS, renderCompressionScenario, renderCompressionSummary, renderSizes, writeCompressionSection } from './compression-report';
import type { CompressionResult, CompressionServer } from './compression-report';
import { loadTool, runLoad } from './load';
import { describeMachine } from './machine';
import { startServer } from './processes';
import type { ServerProcess } from './processes';
import { LOAD_CPU, PROJECT, runSettings, say, SERVER_CPU } from './settings';

const settings = runSettings();

/**
 * `npm run bench -- --compression`: the full dashboard and a 50-link page in gzip and in br (and
 * identity for reference), Facet (which compresses a prepared answer once per version) against
 * Fastify serving the same body through @fastify/compress (which compresses every response), each
 * pair logging alike; the result and the sizes Facet sends go into their own section of
 * bench/RESULTS.md.
 */
export async function runCompressionBench(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const tool = loadTool();
  const scenarios = COMPRESSION_SCENARIOS.filter((s) => !settings.only || settings.only.some((o) => s.name.includes(o)));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-compression-'));
  const servers: Partial<Record<CompressionServer, ServerProcess>> = {};
  try {
    const startFacet = (name: CompressionServer, logLevel: string) => startServer({
      name, script: path.join(PROJECT, 'dist', 'src', 'main.js'), cpu: SERVER_CPU, ready: '/healthz', logFile: path.join(work, `${name}.log`),
      // One database for both Facets, so they serve the same bodies; compression at its defaults (COMPRESS_MIN_BYTES 1024).
      env: { DATA_DIR: path.join(work, 'data'), PUBLIC_BASE_URL: 'http://localhost:3000', NODE_ENV: 'development', SEED_DEMO_DATA: 'true', LOG_LEVEL: logLevel },
    });
    const facet = (servers.facet = await startFacet('facet', 'info'));
    const seedSizes = await measureSizes(facet.url, SEED_ANSWERS);
    const created = await fillLinkPage(facet.url);
    const sizes = [...seedSizes, ...(await measureSizes(facet.url, LOADED_ANSWERS))];
    const fixtures = await fetchCompressionFixtures(facet.url);
    const fixtureFile = path.join(work, 'fixtures.json');
    fs.writeFileSync(fixtureFile, JSON.stringify(fixtures));
    servers['facet-quiet'] = await startFacet('facet-quiet', 'warn');
    for (const [name, args] of [['fastify-log', ['--logger']], ['fastify', []]] as const) {
      servers[name] = await startServer({
        name, script: path.join(__dirname, 'baselines', 'fastify-compress.js'), args: [fixtureFile, ...args], cpu: SERVER_CPU, ready: 'baseline listening', logFile: path.join(work, `${name}.log`),
      });
    }
    const active = COMPRESSION_SERVERS.map((name) => ({ name, server: servers[name]! }));
    say(`created ${created} links so the page holds ${PAGE_SIZE}; load: ${tool}, ${settings.connections} connections, `
      + `${settings.runs} × ${settings.seconds} s per server after ${settings.warmup} s warm-up, interleaved`);

    const results: CompressionResult[] = [];
    for (const scenario of scenarios) {
      const result: CompressionResult = { scenario, runs: {}, bodyBytes: {} };
      for (const { name, server } of active) result.bodyBytes[name] = await probeCompressed(name, server.url, scenario, fixtures);
      const load = (server: ServerProcess, seconds: number) => runLoad(tool, {
        url: server.url + scenario.path, headers: scenario.headers, seconds, connections: settings.connections, maxRequests: 60_000 * seconds, cpu: LOAD_CPU,
      });
      for (const { server } of active) await load(server, settings.warmup);
      for (let run = 0; run < settings.runs; run += 1) {
        // Rotate the order each run so drift on a shared machine hits every server alike.
        for (let i = 0; i < active.length; i += 1) {
          const { name, server } = active[(i + run) % active.length]!;
          (result.runs[name] ??= []).push(await load(server, settings.seconds));
        }
      }
      results.push(result);
      say(`\n${renderCompressionScenario(result)}`);
    }
    say(`\n${renderCompressionSummary(results)}\n\n${renderSizes(sizes)}`);

    const method = `${tool}, ${settings.connections} connections, ${settings.warmup} s warm-up then ${settings.runs} runs × ${settings.seconds} s per server, `
      + 'servers interleaved in rotating order; median of the runs; p50/p99 are medians of the runs\' percentiles; fresh seeded DATA_DIR with '
      + `${created} links added through POST /api/links so the demo user's page of limit=${PAGE_SIZE} is full; each server checked first to answer in the coding asked for `
      + 'with Facet\'s body (decoded, compared as JSON); Facet at its defaults (gzip level 6 and brotli quality 5, once per prepared answer, kept beside it), '
      + 'one at LOG_LEVEL=info and one at LOG_LEVEL=warn on the same DATA_DIR; the peer is bench/baselines/fastify.ts (fast-json-stringify from Facet\'s schemas) '
      + 'with @fastify/compress registered at its defaults (global, threshold 1 KiB, gzip level 6, brotli quality 4), logger: true and logger: false';
    const machine = describeMachine(tool);
    machine.unshift(['run', `npm run bench -- --compression with BENCH_SECONDS=${settings.seconds} BENCH_RUNS=${settings.runs} BENCH_WARMUP=${settings.warmup}`]);
    // The machine is shared: how busy it was says how far to trust the absolute numbers.
    machine.push(['load average (1 min) at start / end', `${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)}`]);
    const notes = [
      'Where the work goes. Facet keeps each prepared answer and its gzip and br bytes beside it: a user\'s full dashboard is kept for HOT_READ_TTL_MS (1 s), '
        + 'so it is fanned out for, serialised and compressed (per coding) at most once a second; the page is read from the store, shaped, serialised and hashed on every request, '
        + 'but an answer with the same bytes is the kept one, so it is never compressed again. The peer serialises the same body with fast-json-stringify '
        + 'and compresses it on every request: both bodies are over @fastify/compress\'s synchronous limit on this machine (8 KiB at 2 CPUs), so through a zlib stream. '
        + 'The peer repeats the identity ETag Facet issued; Facet sends a distinct ETag per coding.',
      'Reading the page rows: the peer answers from the fixture (no store read, no key lookup), while Facet reads the links from SQLite and shapes, '
        + 'serialises and hashes the page on every request, so the identity rows carry that difference too; the "÷ its identity" columns isolate '
        + 'what compressing costs each server on the same resource.',
    ];
    const out = process.env.BENCH_RESULTS ?? (settings.only ? undefined : path.join(PROJECT, 'bench', 'RESULTS.md'));
    if (out) {
      writeCompressionSection(out, { machine, method, results, sizes, notes });
      say(`\nwritten to ${out} (section "Compression")`);
    }
  } finally {
    for (const server of Object.values(servers).reverse()) await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
