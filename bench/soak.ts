import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpGet } from './http-get';
import { loadTool, runLoad } from './load';
import { startServer } from './processes';
import { rssOf } from './rss';
import { SCENARIOS } from './scenarios';
import { PROJECT, say } from './settings';

const SLICE_SECONDS = 5;
const POINT_SECONDS = 10;
const MB = 2 ** 20;

/** One point of the curve: the peak RSS of its interval and the V8 heap and external memory at its end. */
interface Point {
  second: number;
  rssMb: number;
  heapUsedMb: number | null;
  externalMb: number | null;
}


/** A gauge of the service's own /metrics, in MB. */
async function gaugeMb(url: string, name: string): Promise<number | null> {
  try {
    const text = (await httpGet(`${url}/metrics`, {})).body;
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    return match ? Number(match[1]) / MB : null;
  } catch {
    return null;
  }
}

/**
 * `npm run bench -- --soak <seconds>`: the real service under steady mixed load (card, dashboards
 * and redirects in 5 s slices, one after the other) for `seconds`, printing its RSS curve every
 * 10 s and whether RSS levelled off (the last third of the run within 5 % of the middle third).
 */
export async function soak(seconds: number, connections = Number(process.env.BENCH_CONNECTIONS ?? 32)): Promise<void> {
  const tool = loadTool();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-soak-'));
  const facet = await startServer({
    name: 'facet', script: path.join(PROJECT, 'dist', 'src', 'main.js'), cpu: 0, ready: 'facet listening', logFile: path.join(work, 'facet.log'),
    env: { DATA_DIR: path.join(work, 'data'), NODE_ENV: 'development', SEED_DEMO_DATA: 'true', LOG_LEVEL: 'info', RATE_LIMIT_REDIRECTS_PER_ADDRESS: '0', RATE_LIMIT_READS_PER_CREDENTIAL: '0' },
  });
  const mixed = SCENARIOS.filter((s) => s.status !== 304);
  const points: Point[] = [];
  let peak = 0;
  const started = Date.now();
  const sampler = setInterval(() => { peak = Math.max(peak, rssOf(facet.pid) ?? 0); }, 250);
  const recorder = setInterval(() => {
    const second = Math.round((Date.now() - started) / 1000);
    const rssMb = peak / MB;
    peak = 0;
    void Promise.all([gaugeMb(facet.url, 'nodejs_heap_size_used_bytes'), gaugeMb(facet.url, 'nodejs_external_memory_bytes')]).then(([heapUsedMb, externalMb]) => {
      points.push({ second, rssMb, heapUsedMb, externalMb });
      say(`${String(second).padStart(5)} s  RSS ${rssMb.toFixed(1).padStart(6)} MB  heap used ${heapUsedMb?.toFixed(1) ?? '?'} MB  external ${externalMb?.toFixed(1) ?? '?'} MB`);
    });
  }, POINT_SECONDS * 1000);
  say(`soak: ${seconds} s of ${mixed.map((s) => s.name).join(', ')} in ${SLICE_SECONDS} s slices, ${connections} connections (${tool})`);
  let requests = 0;
  let errors = 0;
  try {
    for (let slice = 0; Date.now() - started < seconds * 1000; slice += 1) {
      const scenario = mixed[slice % mixed.length]!;
      const r = await runLoad(tool, { url: facet.url + scenario.path, headers: scenario.headers, seconds: SLICE_SECONDS, connections, maxRequests: 60_000 * SLICE_SECONDS, cpu: 1 });
      requests += r.requests;
      errors += r.errors + r.badStatus;
    }
  } finally {
    clearInterval(sampler);
    clearInterval(recorder);
    await facet.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const third = Math.floor(points.length / 3);
  const max = (ps: Point[]) => Math.max(...ps.map((p) => p.rssMb));
  const middle = max(points.slice(third, 2 * third));
  const last = max(points.slice(2 * third));
  const levelled = last <= middle * 1.05;
  say(`\n${requests} requests, ${errors} errors; peak RSS ${max(points).toFixed(1)} MB; middle third peak ${middle.toFixed(1)} MB, last third peak ${last.toFixed(1)} MB: ${levelled ? 'levelled off' : 'still climbing'}`);
}
