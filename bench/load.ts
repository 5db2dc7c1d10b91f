import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { pinned } from './processes';
import { PROJECT } from './settings';

/** One bounded load run against one URL. */
export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  /** Hard cap on requests in the run, besides its duration. */
  maxRequests: number;
  /** CPU to pin the load generator to. */
  cpu?: number;
}

/** What a run measured; latencies in milliseconds. */
export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Bytes on the wire per response, headers included. */
  wireBytes: number;
  requests: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Responses with status ≥ 400. */
  badStatus: number;
}


/** wrk when installed (and not overridden by BENCH_LOAD=autocannon), else autocannon. */
export function loadTool(): 'wrk' | 'autocannon' {
  if (process.env.BENCH_LOAD === 'autocannon') return 'autocannon';
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

/** Runs one load from a separate process; killed if it outlives its duration by 15 s. */
export async function runLoad(tool: 'wrk' | 'autocannon', o: LoadOptions): Promise<LoadResult> {
  if (tool === 'wrk') {
    const headerArgs = Object.entries(o.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '5s', '-s', path.join(PROJECT, 'bench', 'wrk-report.lua'), ...headerArgs, o.url];
    const raw = JSON.parse(lastLine(await run(pinned(o.cpu, ['wrk', ...args]), o.seconds, { WRK_MAX_REQUESTS: String(o.maxRequests) }))) as {
      requests: number; durationUs: number; bytes: number; p50Us: number; p99Us: number; errors: number; badStatus: number;
    };
    return {
      rps: raw.requests / (raw.durationUs / 1e6),
      p50Ms: raw.p50Us / 1000,
      p99Ms: raw.p99Us / 1000,
      wireBytes: raw.requests ? raw.bytes / raw.requests : 0,
      requests: raw.requests,
      errors: raw.errors,
      badStatus: raw.badStatus,
    };
  }
  const worker = path.join(__dirname, 'autocannon-worker.js');
  return JSON.parse(lastLine(await run(pinned(o.cpu, [process.execPath, worker, JSON.stringify(o)]), o.seconds))) as LoadResult;
}

function lastLine(output: string): string {
  const lines = output.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

function run(command: string[], seconds: number, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = command;
    const child = spawn(cmd!, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 15) * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command.join(' ')} exited with ${code}: ${err || out}`));
    });
  });
}
