import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCompressionBench } from './compression';
import { COMPRESSION_SECTION } from './compression-report';
import { runCpuBench } from './cpu-bench';
import { MICROSECONDS_SECTION, runCpuProfile } from './cpu-profile';
import { CPU_SECTION } from './cpu-report';
import { runCredentialsBench } from './credentials';
import { CREDENTIALS_SECTION } from './credentials-report';
import { fetchFixtures } from './fixtures';
import { loadTool, runLoad } from './load';
import { describeMachine } from './machine';
import { probe } from './probe';
import { startServer } from './processes';
import type { ServerProcess } from './processes';
import { judgeTargets, renderReport, renderScenario, SERVERS } from './report';
import type { ScenarioResult, ServerName } from './report';
import { watchRss } from './rss';
import { SCENARIOS } from './scenarios';
import { keepSections } from './sections';
import type { Section } from './sections';
import { STORE_SECTION } from './store-report';
import { runStoreBench } from './stores';
import { soak } from './soak';
import { envNumber, LOAD_CPU, PROJECT, runSettings, say, SERVER_CPU } from './settings';

/** Notes written by hand from a CPU profile: a run keeps them, as it keeps the other modes' sections. */
const PROFILE_NOTES: Section = { begin: '<!-- BEGIN profile notes', end: '<!-- END profile notes -->' };

/** Knobs, all optional: shorter runs while developing, a subset of scenarios or servers, a CPU profile of Facet. */
const settings = {
  ...runSettings(),
  servers: (process.env.BENCH_SERVERS?.split(',') ?? [...SERVERS]) as ServerName[],
  cpuProfileDir: process.env.BENCH_CPU_PROF,
  cacheBytes: envNumber('REPRESENTATION_CACHE_BYTES', 16 * 2 ** 20),
};

async function main(): Promise<void> {
  const tool = loadTool();
  const scenarios = SCENARIOS.filter((s) => !settings.only || settings.only.some((o) => s.name.includes(o)));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-'));
  const started: ServerProcess[] = [];
  try {
    const startFacet = (name: ServerName, logLevel: string) => startServer({
      name, script: path.join(PROJECT, 'dist', 'src', 'main.js'), cpu: SERVER_CPU, ready: '/healthz', logFile: path.join(work, `${name}.log`),
      env: {
        // One database and base URL for both Facets, so they serve the same bodies (the second finds it seeded).
        DATA_DIR: path.join(work, 'data'),
        PUBLIC_BASE_URL: 'http://localhost:3000', NODE_ENV: 'development', SEED_DEMO_DATA: 'true', REPRESENTATION_CACHE_BYTES: String(settings.cacheBytes),
        // All load comes from one address: the limiter still counts every redirect, but never trips.
        RATE_LIMIT_REDIRECTS_PER_ADDRESS: '1000000000', RATE_LIMIT_READS_PER_CREDENTIAL: '0',
        // info is the default level: every request is logged, as in production; warn logs no requests.
        LOG_LEVEL: logLevel,
      },
      nodeArgs: settings.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(settings.cpuProfileDir)] : [],
    });
    const facet = await startFacet('facet', 'info');
    started.push(facet);
    const fixtures = await fetchFixtures(facet.url, SCENARIOS);
    const fixtureFile = path.join(work, 'fixtures.json');
    fs.writeFileSync(fixtureFile, JSON.stringify(fixtures));
    if (settings.servers.includes('facet-quiet')) started.push(await startFacet('facet-quiet', 'warn'));
    const baselines: [ServerName, string, string[]][] = [
      ['ceiling', 'ceiling.js', []], ['naive', 'naive-express.js', []], ['fastify', 'fastify.js', []], ['fastify-log', 'fastify.js', ['--logger']],
    ];
    for (const [name, file, args] of baselines.filter(([n]) => settings.servers.includes(n))) {
      started.push(await startServer({
        name, script: path.join(__dirname, 'baselines', file), args: [fixtureFile, ...args], cpu: SERVER_CPU, ready: 'baseline listening', logFile: path.join(work, `${name}.log`),
      }));
    }
    const active = started.filter((s) => settings.servers.includes(s.name as ServerName));
    say(`load: ${tool}, ${settings.connections} connections, ${settings.runs} × ${settings.seconds} s per server after ${settings.warmup} s warm-up, interleaved`);

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const result: ScenarioResult = { scenario, runs: {}, bodyBytes: {}, peakRss: {} };
      const headers = new Map<string, Record<string, string>>();
      for (const server of active) {
        const p = await probe(server.name, server.url, scenario, fixtures);
        headers.set(server.name, p.headers);
        result.bodyBytes[server.name as ServerName] = p.bodyBytes;
      }
      const load = (server: ServerProcess, seconds: number) => runLoad(tool, {
        url: server.url + scenario.path, headers: headers.get(server.name)!, seconds,
        connections: settings.connections, maxRequests: 60_000 * seconds, cpu: LOAD_CPU,
      });
      for (const server of active) await load(server, settings.warmup);
      for (let run = 0; run < settings.runs; run += 1) {
        // Rotate the order each run so drift on a noisy machine hits every server alike.
        const order = active.map((_, i) => active[(i + run) % active.length]!);
        for (const server of order) {
          const name = server.name as ServerName;
          const rss = watchRss(server.pid);
          const r = await load(server, settings.seconds);
          const peak = rss.stop();
          (result.runs[name] ??= []).push(r);
          result.peakRss[name] = Math.max(result.peakRss[name] ?? 0, peak ?? 0) || null;
        }
      }
      results.push(result);
      say(`\n${renderScenario(result)}`);
    }

    const targets = judgeTargets(results, settings.cacheBytes);
    say(`\n${targets.map((t) => t.text).join('\n')}`);
    const method = `${tool}, ${settings.connections} connections, ${settings.warmup} s warm-up then ${settings.runs} runs × ${settings.seconds} s per server, `
      + 'servers interleaved in rotating order; median of the runs; p50/p99 are medians of the runs\' percentiles; fresh seeded DATA_DIR; '
      + 'baselines serve the bodies fetched from the running service; Facet runs its defaults (LOG_LEVEL=info, a log line per request; '
      + `${(settings.cacheBytes / 2 ** 20).toFixed(0)} MiB representation cache), and a second Facet at LOG_LEVEL=warn on the same DATA_DIR, `
      + 'with the per-address redirect limit raised so one load generator never trips it; Fastify with logger: true (pino to a file, as Facet logs) and with logger: false';
    const report = renderReport(describeMachine(tool), method, results, targets);
    // A partial run (BENCH_ONLY, BENCH_SERVERS) never overwrites the full results.
    const complete = !settings.only && settings.servers.length === SERVERS.length;
    const out = process.env.BENCH_RESULTS ?? (complete ? path.join(PROJECT, 'bench', 'RESULTS.md') : undefined);
    if (out) {
      fs.writeFileSync(out, keepSections(out, report, [PROFILE_NOTES, STORE_SECTION, COMPRESSION_SECTION, CREDENTIALS_SECTION, CPU_SECTION, MICROSECONDS_SECTION]));
      say(`\nwritten to ${out}`);
    }
  } finally {
    for (const server of started.reverse()) await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// `--soak <seconds>`: RSS over a steady mixed load (bench/soak.ts); `--stores` (or BENCH_STORES=1):
// the SQLite/PostgreSQL comparison of bench/stores.ts; `--compression`: gzip and br against
// @fastify/compress (bench/compression.ts); `--credentials`: API key, session cookie and access
// token side by side, and a burst of sign-ins (bench/credentials.ts); `--cpu`: CPU per answer of Facet, Fastify and
// the ceiling over a fixed number of answers (bench/cpu-bench.ts); `--cpu-profile`: where Facet's CPU per answer goes
// beyond Fastify's, from node --cpu-prof (bench/cpu-profile.ts); otherwise the peer comparison.
const soakAt = process.argv.indexOf('--soak');
const stores = process.argv.includes('--stores') || process.env.BENCH_STORES === '1';
const compression = process.argv.includes('--compression');
const credentials = process.argv.includes('--credentials');
const cpu = process.argv.includes('--cpu');
const cpuProfile = process.argv.includes('--cpu-profile');
const mode = soakAt !== -1 ? () => soak(Number(process.argv[soakAt + 1] ?? 300))
  : stores ? runStoreBench : compression ? runCompressionBench : credentials ? runCredentialsBench
    : cpu ? runCpuBench : cpuProfile ? runCpuProfile : main;
mode().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
