import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { httpGet } from './http-get';

/** Whether `taskset` can pin processes here (Linux with util-linux and more than one CPU). */
export const CAN_PIN = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `command` prefixed with `taskset -c cpu` when pinning is possible; taskset execs, so the pid is the command's. */
export function pinned(cpu: number | undefined, command: string[]): string[] {
  return CAN_PIN && cpu !== undefined ? ['taskset', '-c', String(cpu), ...command] : command;
}

/** A free loopback port, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A server process under test. */
export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] script args` on a free port (env PORT) and waits, at most 30 s, for
 * `ready` in its output, or — when `ready` starts with `/` — for a 200 from that path (a server
 * that logs nothing at its level). Output goes to `logFile`, not to a pipe: a service that logs every
 * request would otherwise make this process copy log lines while the load runs.
 */
export async function startServer(options: {
  name: string; script: string; args?: string[]; nodeArgs?: string[]; env?: Record<string, string>; cpu?: number; ready: string; logFile: string;
}): Promise<ServerProcess> {
  const port = await freePort();
  const [cmd, ...argv] = pinned(options.cpu, [process.execPath, ...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])]);
  const log = fs.openSync(options.logFile, 'w');
  const child: ChildProcess = spawn(cmd!, argv, {
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => fs.readFileSync(options.logFile, 'utf8').slice(-20_000);
  const url = `http://127.0.0.1:${port}`;
  const isReady = async () => (options.ready.startsWith('/')
    ? (await httpGet(url + options.ready, {}).catch(() => ({ status: 0 }))).status === 200
    : output().includes(options.ready));
  for (const deadline = Date.now() + 30_000; !(await isReady());) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.name} exited before listening:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not start in 30 s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    name: options.name,
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
