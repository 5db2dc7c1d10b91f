import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './service-process';

const ROOT = path.join(__dirname, '..', '..');

/** Every process below `pid`, children first (what `npm start` started, whatever shell sits between). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch { /* none */ }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(false); });
  socket.once('error', () => resolve(true));
});

describe('npm start', () => {
  // The build (prestart) is jest's global setup; --ignore-scripts runs the start script alone, as npm start runs it after the build.
  it('passes SIGTERM sent to npm on to the service, which shuts down and frees the port', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-npm-start-'));
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test', PASSWORD_SCRYPT_LOG_N: '10' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const pipe of [npm.stdout, npm.stderr]) pipe.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let started: number[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not listen within 30 s:\n${output}`)), 30_000);
        npm.stdout.on('data', () => { if (output.includes('facet listening')) { clearTimeout(timer); resolve(); } });
        void exited.then((code) => { clearTimeout(timer); reject(new Error(`npm start exited with ${code}:\n${output}`)); });
      });
      started = descendants(npm.pid!);
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM: closing');
      expect(await refused(port)).toBe(true);
    } finally {
      // Whatever outlived npm (the server an old `sh -c` left behind) must not outlive the test.
      for (const pid of [...started, ...descendants(npm.pid!)]) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      npm.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 45_000);
});
