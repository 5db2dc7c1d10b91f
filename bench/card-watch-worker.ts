import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pinned } from './processes';
import { epochMs } from './settings';

/** A steady closed-loop load on one URL, run until told to stop (stdin ends) or for `maxSeconds`. */
export interface WatchOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  maxSeconds: number;
}

/** The windows to report, as [from, to] in epoch milliseconds, by name; written as one JSON line to stdin before it ends. */
export type Windows = Record<string, [number, number]>;

/** What the load saw of the answers completed in one window; latencies in milliseconds. */
export interface WindowFigures {
  answers: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Responses with status ≥ 400. */
  badStatus: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Child-process entry: autocannon against the URL in the JSON options of argv, every answer kept
 * with the moment it completed, so that the parent can ask afterwards for the figures of windows
 * it only knows once they are over (a burst of sign-ins that started and ended during the load).
 */
async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as WatchOptions;
  const ends: number[] = [];
  const latencies: number[] = [];
  const bad: number[] = [];
  const failed: number[] = [];
  let finished = (): void => undefined;
  const done = new Promise<void>((resolve) => { finished = resolve; });
  const instance = autocannon({ url: o.url, headers: o.headers, connections: o.connections, duration: o.maxSeconds, timeout: 10 }, () => finished());
  instance.on('response', (_client, status, _bytes, ms) => {
    ends.push(epochMs());
    latencies.push(ms);
    if (status >= 400) bad.push(ends[ends.length - 1]!);
  });
  instance.on('reqError', () => failed.push(epochMs()));
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => { input += chunk; });
  const stopped = new Promise<void>((resolve) => process.stdin.once('end', resolve));
  await Promise.race([stopped, done]);
  instance.stop();
  await done;
  // The windows arrive with the end of stdin, even when the load ran out of time first.
  await stopped;
  const windows = JSON.parse(input.trim() || '{}') as Windows;
  const figures: Record<string, WindowFigures> = {};
  for (const [name, [from, to]] of Object.entries(windows)) {
    const inside = (t: number) => t >= from && t < to;
    const sorted = latencies.filter((_, i) => inside(ends[i]!)).sort((a, b) => a - b);
    figures[name] = {
      answers: sorted.length, rps: sorted.length / ((to - from) / 1000), p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99),
      errors: failed.filter(inside).length, badStatus: bad.filter(inside).length,
    };
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Starts the load in a child process on `cpu`; `stop(windows)` ends it and resolves with each window's figures. */
export function watchLoad(o: WatchOptions, cpu: number): { stop(windows: Windows): Promise<Record<string, WindowFigures>> } {
  const [cmd, ...args] = pinned(cpu, [process.execPath, __filename, JSON.stringify(o)]);
  const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), (o.maxSeconds + 30) * 1000);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { clearTimeout(timer); resolve(code); }));
  return {
    async stop(windows) {
      child.stdin.end(`${JSON.stringify(windows)}\n`);
      const code = await exited;
      if (code !== 0) throw new Error(`${path.basename(__filename)} exited with ${code}: ${err || out}`);
      return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, WindowFigures>;
    },
  };
}

if (require.main === module) void main();
