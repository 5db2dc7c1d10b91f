import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countedLoad } from './cpu-bench';
import { cpuMicros } from './cpu';
import { attribute, profileStart } from './cpu-profile-attribution';
import type { ProfileWindow } from './cpu-profile-attribution';
import { renderProfileSection } from './cpu-profile-report';
import { CPU_SCENARIOS, PAGE_SCENARIO, startCpuServers } from './cpu-servers';
import type { CpuServer, CpuServerSet } from './cpu-servers';
import { describeMachine } from './machine';
import { probe } from './probe';
import { writeSection } from './sections';
import type { Section } from './sections';
import { envNumber, PROJECT, runSettings, say } from './settings';

/** The part of bench/RESULTS.md that `npm run bench -- --cpu-profile` writes and every other mode keeps. */
export const MICROSECONDS_SECTION: Section = { begin: '<!-- BEGIN where the microseconds go', end: '<!-- END where the microseconds go -->' };

const settings = {
  ...runSettings(),
  /** Answers profiled per scenario and server, after a warm-up; the sampling interval in µs. */
  count: envNumber('BENCH_PROFILE_COUNT', 60_000),
  warmCount: envNumber('BENCH_WARM_COUNT', 5_000),
  intervalUs: envNumber('BENCH_PROFILE_INTERVAL_US', 100),
  /** A directory to copy the .cpuprofile files to (they are deleted with the run's work directory otherwise). */
  keep: process.env.BENCH_PROFILE_KEEP,
};
/** Facet with no request log against Fastify with none: the gap the profile accounts for. */
const PROFILED: CpuServer[] = ['facet-quiet', 'fastify'];
const SCENARIOS = CPU_SCENARIOS.filter((s) => s !== PAGE_SCENARIO);
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * `npm run bench -- --cpu-profile`: Facet at LOG_LEVEL=warn and Fastify with logger: false, each
 * under `node --cpu-prof`, loaded in turn with a fixed number of card-200, 304 and redirect
 * answers; each profile's self time is cut into the loads' windows and divided by their answers.
 */
export async function runCpuProfile(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-profile-'));
  const dir = (name: CpuServer) => path.join(work, `prof-${name}`);
  const servers: CpuServerSet = {};
  const windows: Record<string, ProfileWindow[]> = {};
  const procCpu: Record<string, number[]> = {};
  const spawnedAt = monotonicUs();
  try {
    const { fixtures } = await startCpuServers(work, PROFILED, servers, (name) => ['--cpu-prof', '--cpu-prof-dir', dir(name), '--cpu-prof-interval', String(settings.intervalUs)]);
    for (const scenario of SCENARIOS) {
      for (const name of PROFILED) {
        const server = servers[name]!;
        const { headers } = await probe(name, server.url, scenario, fixtures);
        await countedLoad(server, scenario, headers, settings.warmCount, settings.connections);
        const [fromUs, before] = [monotonicUs(), cpuMicros(server.pid)];
        const r = await countedLoad(server, scenario, headers, settings.count, settings.connections);
        const [toUs, after] = [monotonicUs(), cpuMicros(server.pid)];
        (windows[name] ??= []).push({ label: scenario.name, fromUs, toUs, answers: r.requests });
        (procCpu[name] ??= []).push(before === null || after === null ? NaN : (after - before) / r.requests);
        say(`${scenario.name}, ${name}: ${r.requests} answers, ${Math.round(r.rps)} req/s under the profiler`);
      }
    }
  } finally {
    for (const server of Object.values(servers).reverse()) await server.stop();
  }
  try {
    const attributions = Object.fromEntries(PROFILED.map((name) => {
      const file = fs.readdirSync(dir(name)).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`${name} wrote no .cpuprofile`);
      const full = path.join(dir(name), file);
      // V8 stamps samples with the monotonic clock process.hrtime reads: the windows line up only if so.
      const skewMs = (profileStart(full) - spawnedAt) / 1000;
      if (skewMs < 0 || skewMs > 120_000) throw new Error(`${name}'s profile starts ${skewMs} ms from its spawn: not the bench's clock`);
      if (settings.keep) {
        fs.cpSync(full, path.join(settings.keep, `${name}.cpuprofile`));
        fs.writeFileSync(path.join(settings.keep, `${name}.windows.json`), JSON.stringify(windows[name]));
      }
      return [name, attribute(full, windows[name]!)];
    }));
    const machine = describeMachine('bench/count-load-worker.ts (raw keep-alive sockets)');
    machine.unshift(['run', `npm run bench -- --cpu-profile with BENCH_PROFILE_COUNT=${settings.count} BENCH_PROFILE_INTERVAL_US=${settings.intervalUs}`]);
    const body = renderProfileSection({ machine, count: settings.count, intervalUs: settings.intervalUs, facet: attributions['facet-quiet']!, fastify: attributions.fastify!, procCpu });
    say(`\n${body}`);
    const out = process.env.BENCH_RESULTS ?? (settings.only ? undefined : path.join(PROJECT, 'bench', 'RESULTS.md'));
    if (out) {
      writeSection(out, MICROSECONDS_SECTION, `${MICROSECONDS_SECTION.begin}: written by \`npm run bench -- --cpu-profile\` (bench/cpu-profile.ts) -->\n${body}\n${MICROSECONDS_SECTION.end}`);
      say(`\nwritten to ${out} (section "Where the microseconds go")`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
