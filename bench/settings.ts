import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** The repository root (bench/ compiles to dist/bench/). */
export const PROJECT = path.join(__dirname, '..', '..');
/** Servers run on this CPU, the load generator on the other: they never compete for a core. */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

/** A numeric knob from the environment, or its default. */
export const envNumber = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/** The knobs every mode shares: run length, repetitions, warm-up, connections, a subset of scenarios. */
export const runSettings = (connectionsVar = 'BENCH_CONNECTIONS', connections = 32) => ({
  seconds: envNumber('BENCH_SECONDS', 3),
  runs: envNumber('BENCH_RUNS', 3),
  warmup: envNumber('BENCH_WARMUP', 2),
  connections: envNumber(connectionsVar, connections),
  only: process.env.BENCH_ONLY?.split(',').map((s) => s.trim()),
});

/** Prints one line of progress. */
export const say = (line: string): void => { process.stdout.write(`${line}\n`); };

/** Wall-clock milliseconds with sub-millisecond resolution: comparable between the bench's processes. */
export const epochMs = (): number => performance.timeOrigin + performance.now();
