import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (this file is test/varnish/helpers/). */
export const ROOT = path.resolve(__dirname, '../../..');

/** A child process started by a test, with what it printed (for failure messages). */
export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Path of `varnishd`: $VARNISHD when set (even if wrong), else PATH, then the sbin folders Debian uses; or null. */
export function findVarnishd(): string | null {
  const explicit = process.env.VARNISHD;
  if (explicit !== undefined) return isExecutable(explicit) ? explicit : null;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.filter(Boolean).map((d) => path.join(d, 'varnishd')).find(isExecutable) ?? null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Spawns a process and resolves once its output matches `ready`; rejects if it exits or times out first. */
function spawnUntil(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs: number): Promise<Started> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const output = () => text;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not print ${ready} within ${timeoutMs} ms`), timeoutMs);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} ${why}:\n${text}`));
    }
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (ready.test(text)) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal})`));
  });
}

/** A running varnishd: where it listens, and its working directory for varnishadm/varnishstat. */
export interface Varnish extends Started {
  port: number;
  workDir: string;
}

/**
 * Starts `varnishd -F` on an ephemeral loopback port with the given VCL; resolves when it answers
 * ping. Varnish's parameters keep their defaults (http_gzip_support=on among them), but for a
 * small thread pool and whatever `params` sets (`{ http_gzip_support: 'off' }`).
 */
export async function startVarnish(varnishd: string, vclPath: string, workDir: string, params: Record<string, string> = {}): Promise<Varnish> {
  const args = [
    '-F', '-j', 'none',
    '-a', '127.0.0.1:0', '-T', '127.0.0.1:0',
    '-f', vclPath, '-n', workDir,
    '-s', 'malloc,32m',
    '-p', 'thread_pools=1', '-p', 'thread_pool_min=5', '-p', 'thread_pool_max=50',
    ...Object.entries(params).flatMap(([name, value]) => ['-p', `${name}=${value}`]),
  ];
  const started = await spawnUntil(varnishd, args, process.env, /Child launched OK/, 60_000);
  await poll(() => admin(workDir, 'ping'), 20, 100);
  const listen = await admin(workDir, 'debug.listen_address');
  const port = Number(/127\.0\.0\.1 (\d+)/.exec(listen)?.[1]);
  if (!port) throw new Error(`no listen address in: ${listen}`);
  return { ...started, port, workDir };
}

/** Runs a varnishadm command against the instance in workDir. */
export async function admin(workDir: string, ...command: string[]): Promise<string> {
  const { stdout } = await run('varnishadm', ['-n', workDir, '-t', '5', ...command]);
  return stdout;
}

/** One counter of `varnishstat -1`, e.g. MAIN.s_pass. */
export async function counter(workDir: string, name: string): Promise<number> {
  const { stdout } = await run('varnishstat', ['-n', workDir, '-1', '-f', name]);
  const match = new RegExp(`^${name.replace(/\./g, '\\.')}\\s+(\\d+)`, 'm').exec(stdout);
  if (!match) throw new Error(`no ${name} in varnishstat output:\n${stdout}`);
  return Number(match[1]);
}

/**
 * The headers of every request varnishd has sent a backend for `url` so far (varnishlog -d over
 * the shared log), lower-cased names; a header set twice keeps its last value.
 */
export async function backendRequests(workDir: string, url: string): Promise<Array<Record<string, string>>> {
  const { stdout } = await run('varnishlog', ['-n', workDir, '-d', '-b', '-q', `BereqURL eq "${url}"`, '-i', 'BereqHeader,BereqUnset']);
  return stdout.split(/^\*\s+<< BeReq/m).slice(1).map((tx) => {
    const headers: Record<string, string> = {};
    for (const [, record, name, value] of tx.matchAll(/^-+\s+(BereqHeader|BereqUnset)\s+([^:\s]+):\s?(.*)$/gm)) {
      if (record === 'BereqUnset') delete headers[name!.toLowerCase()];
      else headers[name!.toLowerCase()] = value!;
    }
    return headers;
  });
}

/**
 * Objects stored in the cache so far: MAIN.exp_mailed, counted at once as each new object is
 * handed to the expiry thread (also on a ban or kill, which the measuring tests do not cause).
 * Not MAIN.n_object: a worker adds its counters to the totals in batches, so the decrement for an
 * earlier test's freed pass object can land in the middle of a later measurement.
 */
export function objectsStored(workDir: string): Promise<number> {
  return counter(workDir, 'MAIN.exp_mailed');
}

/** Retries `attempt` up to `attempts` times, `intervalMs` apart; rethrows the last failure. */
async function poll<T>(attempt: () => Promise<T>, attempts: number, intervalMs: number): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Stops a started process by its pid (SIGTERM, then SIGKILL after 10 s) and waits for its exit. */
export function stop(started: Started | undefined): Promise<void> {
  const child = started?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.removeAllListeners('exit');
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Health of each backend (not director) as `backend.list` reports it, by backend name. */
export async function backendHealth(workDir: string): Promise<Record<string, string>> {
  const listing = await admin(workDir, 'backend.list');
  const rows = [...listing.matchAll(/^\S+\.(facet_\d+)\s+\S+\s+\S+\s+(healthy|sick)\b/gm)];
  return Object.fromEntries(rows.map((m) => [m[1] as string, m[2] as string]));
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes; resolves with the time it took. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
