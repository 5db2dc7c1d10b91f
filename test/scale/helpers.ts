import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Response } from 'supertest';
import { describeWithPostgres } from '../helpers/postgres';
import type { PgCluster } from '../helpers/postgres';
import { startService } from '../process/service-process';
import type { ServiceProcess } from '../process/service-process';

/** Prints one measured figure on a line of its own, prefixed `scale:` so the closing note can collect them. */
export function report(line: string): void {
  process.stdout.write(`scale: ${line}\n`);
}

/**
 * Calls `fn` again and again (every `intervalMs`, default 5 ms) until it resolves, and returns
 * what it resolved with; rethrows its last error once `timeoutMs` has passed. A bounded poll,
 * never a sleep standing in for "long enough".
 */
export async function eventually<T>(fn: () => Promise<T> | T, options: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5));
    }
  }
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `ms` rounded to a tenth, for reports. */
export const ms = (value: number): string => `${Math.round(value * 10) / 10} ms`;

/** Runs `task(i)` for i < count with at most `width` at a time; resolves when all have settled. */
export async function inParallel(width: number, count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** A keep-alive agent: timed loops then measure the service, not TCP handshakes. */
export const keepAlive = (): http.Agent => new http.Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One request with node:http, answered as much of a supertest Response as test/helpers/schema.ts
 * reads (status, lower-cased headers, text, req.method), plus how long it took.
 */
export function send(baseUrl: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string; agent?: http.Agent | false; localAddress?: string } = {}): Promise<Response & { ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, headers: options.headers, agent: options.agent, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString(), req: { method }, ms: performance.now() - started } as unknown as Response & { ms: number });
      });
    });
    req.on('error', reject);
    // Bounded: a request that hangs fails the test instead of holding it.
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} got no answer within 15 s`)));
    req.end(options.body);
  });
}

/** Pids of the direct children of `pid` (the workers of a WORKERS=N primary). */
export function childPids(pid: number): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('pgrep', ['-P', String(pid)], (_err, stdout) => resolve(stdout.split('\n').filter((l) => /^\d+$/.test(l)).map(Number)));
  });
}

/** How many times `text` occurs in `haystack`. */
export const occurrences = (haystack: string, text: string): number => haystack.split(text).length - 1;

/** What a scale suite gets: the cluster, fresh databases, tracked service processes and SQL. */
export interface ScaleContext {
  cluster(): PgCluster;
  /** Creates an empty database with a unique name and resolves with its URL. */
  database(): Promise<string>;
  /** Starts the service on `databaseUrl` with `env`; it is SIGKILLed (workers first) after the block. */
  start(databaseUrl: string, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Runs SQL on `databaseUrl` through a pool of this test process (ended after the block). */
  query<R extends pg.QueryResultRow>(databaseUrl: string, sql: string, params?: unknown[]): Promise<R[]>;
  /** Registers `undo` to run first after the block (before services and pools are ended), passed or failed. */
  atEnd(undo: () => void | Promise<void>): void;
}

/** Environment every service of these suites shares: a fixed public URL, so bodies match across instances. */
export const BASE_ENV = { PUBLIC_BASE_URL: 'http://facet.test', NODE_ENV: 'test' };

/**
 * A describe block on a throwaway PostgreSQL cluster (test/helpers/postgres.ts: skipped with a
 * reason locally when PostgreSQL is missing, a failure under CI=true). Service processes and SQL
 * pools are ended in an inner block's afterAll, which runs before the harness stops the cluster,
 * whether the tests passed or not.
 */
export function describeOnPostgres(name: string, fn: (ctx: ScaleContext) => void): void {
  describeWithPostgres('on a throwaway PostgreSQL cluster', (cluster) => {
    const services: ServiceProcess[] = [];
    const pools = new Map<string, pg.Pool>();
    const undos: (() => void | Promise<void>)[] = [];
    let databases = 0;
    const ctx: ScaleContext = {
      cluster,
      database: () => cluster().createDatabase(`scale_${process.pid}_${++databases}`),
      async start(databaseUrl, env = {}) {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-scale-'));
        try {
          const service = await startService({ ...BASE_ENV, DATABASE_URL: databaseUrl, ...env }, dataDir);
          services.push(service);
          return service;
        } catch (err) {
          fs.rmSync(dataDir, { recursive: true, force: true });
          throw err;
        }
      },
      atEnd: (undo) => { undos.push(undo); },
      async query(databaseUrl, sql, params) {
        let pool = pools.get(databaseUrl);
        if (!pool) {
          pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
          pool.on('error', () => undefined); // an outage test stops the server under idle clients
          pools.set(databaseUrl, pool);
        }
        return (await pool.query(sql, params)).rows as never;
      },
    };
    // Nested, so that its afterAll runs before the harness's (which stops the cluster).
    describe(name, () => {
      afterAll(async () => {
        for (const undo of undos.splice(0)) await undo();
        await stopAll(services);
        await Promise.all([...pools.values()].map((p) => p.end().catch(() => undefined)));
      }, 30_000);
      fn(ctx);
    });
  });
}

/** SIGKILLs each service (the workers of a WORKERS=N primary first), waits for the exits and removes their data dirs. */
export async function stopAll(services: ServiceProcess[]): Promise<void> {
  for (const service of services) {
    const pid = service.child.pid;
    if (pid !== undefined && service.child.exitCode === null && service.child.signalCode === null) {
      for (const worker of await childPids(pid)) {
        try { process.kill(worker, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    service.child.kill('SIGKILL');
  }
  await Promise.all(services.map((s) => Promise.race([s.exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())])));
  for (const service of services) fs.rmSync(service.dataDir, { recursive: true, force: true });
}
