import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

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

/** The real service (dist/src/main.js, built by jest's global setup) running as a child process. */
export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  dataDir: string;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Starts the service on a free loopback port and resolves once it says it is listening (bounded wait). */
export async function startService(env: Record<string, string> = {}, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-proc-'))): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test', PASSWORD_SCRYPT_LOG_N: '10', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start within 20 s:\n${output}`)), 20_000);
    const check = () => {
      if (output.includes('facet listening')) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`service exited with ${code} before listening:\n${output}`)); });
  });
  return { child, baseUrl: `http://127.0.0.1:${port}`, dataDir, output: () => output, exited };
}

/** Starts the service expecting it to refuse; resolves with its exit code and everything it printed. */
export async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-refuse-'));
  try {
    const service = await startService(env, dataDir);
    service.child.kill('SIGKILL');
    throw new Error(`the service started:\n${service.output()}`);
  } catch (err) {
    const message = (err as Error).message;
    const match = /exited with (\d+|null) before listening:\n([\s\S]*)$/.exec(message);
    if (!match) throw err;
    return { code: match[1] === 'null' ? null : Number(match[1]), output: match[2]! };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
