import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuMicros } from './cpu';
import { renderCpuScenario, renderCpuSummary, writeCpuSection } from './cpu-report';
import type { CpuResult } from './cpu-report';
import { CPU_SCENARIOS, CPU_SERVERS, startCpuServers } from './cpu-servers';
import type { CpuServer, CpuServerSet } from './cpu-servers';
import { runCounted } from './count-load-worker';
import type { LoadResult } from './load';
import { describeMachine } from './machine';
import { probe } from './probe';
import type { ServerProcess } from './processes';
import { envNumber, LOAD_CPU, PROJECT, runSettings, say } from './settings';

const settings = {
  ...runSettings(),
  /** Answers per measured run, and per warm-up run, of each server. */
  count: envNumber('BENCH_COUNT', 20_000),
  warmCount: envNumber('BENCH_WARM_COUNT', 5_000),
  servers: (process.env.BENCH_SERVERS?.split(',') ?? [...CPU_SERVERS]) as CpuServer[],
};

/** A run of exactly `count` answers from its own process on the load CPU (bench/count-load-worker.ts). */
export function countedLoad(server: ServerProcess, s: { path: string }, headers: Record<string, string>, count: number, connections: number): Promise<LoadResult> {
  return runCounted({ url: server.url + s.path, headers, connections, count }, LOAD_CPU);
}

/** CPU the server used while idle, in µs per second: what a run's figure holds besides its answers. */
async function idleMicrosPerSecond(pid: number): Promise<number | null> {
  const before = cpuMicros(pid);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = cpuMicros(pid);
  return before === null || after === null ? null : (after - before) / 2;
}

/**
 * `npm run bench -- --cpu`: a fixed number of answers per run from each server (both Facets, both
 * Fastifys, the ceiling), each a separate process pinned to the server CPU, and the server's user +
 * system CPU per answer read from /proc beside req/s; medians of interleaved runs, into their own
 * section of bench/RESULTS.md.
 */
export async function runCpuBench(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const scenarios = CPU_SCENARIOS.filter((s) => !settings.only || settings.only.some((o) => s.name.includes(o)));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-cpu-'));
  const servers: CpuServerSet = {};
  try {
    const { fixtures, created } = await startCpuServers(work, settings.servers, servers);
    const active = CPU_SERVERS.filter((n) => servers[n]).map((name) => ({ name, server: servers[name]! }));
    const idle: Partial<Record<CpuServer, number | null>> = {};
    for (const { name, server } of active) idle[name] = await idleMicrosPerSecond(server.pid);
    say(`load: bench/count-load-worker.ts, ${settings.connections} connections, ${settings.runs} runs × ${settings.count} answers per server after ${settings.warmCount} of warm-up, interleaved`);

    const results: CpuResult[] = [];
    for (const scenario of scenarios) {
      const result: CpuResult = { scenario, runs: {} };
      const headers = new Map<CpuServer, Record<string, string>>();
      for (const { name, server } of active) headers.set(name, (await probe(name, server.url, scenario, fixtures)).headers);
      for (const { name, server } of active) await countedLoad(server, scenario, headers.get(name)!, settings.warmCount, settings.connections);
      for (let run = 0; run < settings.runs; run += 1) {
        // Rotate the order each run so drift on a noisy machine hits every server alike.
        for (let i = 0; i < active.length; i += 1) {
          const { name, server } = active[(i + run) % active.length]!;
          const before = cpuMicros(server.pid);
          const r = await countedLoad(server, scenario, headers.get(name)!, settings.count, settings.connections);
          const after = cpuMicros(server.pid);
          const cpuUsPerAnswer = before === null || after === null || r.requests === 0 ? null : (after - before) / r.requests;
          (result.runs[name] ??= []).push({ ...r, cpuUsPerAnswer });
        }
      }
      results.push(result);
      say(`\n${renderCpuScenario(result)}`);
    }
    say(`\n${renderCpuSummary(results)}`);

    const method = `bench/count-load-worker.ts (raw keep-alive sockets, one request in flight on each, pinned to CPU ${LOAD_CPU}), ${settings.connections} connections; per scenario each server gets ${settings.warmCount} answers of warm-up, `
      + `then ${settings.runs} runs of exactly ${settings.count.toLocaleString('en-US')} answers, servers interleaved in rotating order; median of the runs. CPU µs/answer is the server process's `
      + 'user + system time (/proc/<pid>/stat, all its threads, 10 ms ticks) over a run ÷ the answers of that run; every server is its own process on the server CPU, '
      + 'so the load generator\'s CPU is never counted. Fresh seeded DATA_DIR shared by both Facets (RATE_LIMIT_REDIRECTS_PER_ADDRESS raised), '
      + `${created} links added through POST /api/links so the demo user's page is full; the peers (bench/baselines/fastify.ts with Facet's schemas, `
      + 'bench/baselines/ceiling.ts with precomputed bytes) serve the bodies fetched from Facet, checked before the load';
    const machine = describeMachine('bench/count-load-worker.ts (raw keep-alive sockets)');
    machine.unshift(['run', `npm run bench -- --cpu with BENCH_COUNT=${settings.count} BENCH_RUNS=${settings.runs} BENCH_WARM_COUNT=${settings.warmCount}`]);
    // The machine is shared: how busy it was says how far to trust the absolute numbers.
    machine.push(['load average (1 min) at start / end', `${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)}`]);
    machine.push(['idle CPU, µs per second', active.map(({ name }) => `${name} ${idle[name]?.toFixed(0) ?? '–'}`).join(', ')]);
    const complete = !settings.only && settings.servers.length === CPU_SERVERS.length;
    const out = process.env.BENCH_RESULTS ?? (complete ? path.join(PROJECT, 'bench', 'RESULTS.md') : undefined);
    if (out) {
      writeCpuSection(out, { machine, method, results });
      say(`\nwritten to ${out} (section "CPU per answer")`);
    }
  } finally {
    for (const server of Object.values(servers).reverse()) await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
