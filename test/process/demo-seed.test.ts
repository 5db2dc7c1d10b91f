import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startService } from './service-process';
import type { ServiceProcess } from './service-process';

const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keys.js');

describe('demo data on the first start', () => {
  let dataDir: string;
  const running: ServiceProcess[] = [];
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-seed-')); });
  afterEach(async () => {
    for (const service of running.splice(0)) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async () => {
    const service = await startService({}, dataDir);
    running.push(service);
    return service;
  };
  const stop = async (service: ServiceProcess) => {
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  };

  it('is seeded even when `npm run keys -- create` made a user and a key before it', async () => {
    const created = spawnSync(process.execPath, [CLI, 'create', '--user', 'ops'], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(created.status).toBe(0);
    const key = created.stdout.trim().split('\n').at(-1)!;
    const service = await start();
    expect(service.output()).toContain('seeded demo data: 50 links');
    const demo = await fetch(`${service.baseUrl}/api/links`, { headers: { Authorization: 'Bearer demo_user_key' } });
    expect(demo.status).toBe(200);
    const own = await fetch(`${service.baseUrl}/api/links`, { headers: { Authorization: `Bearer ${key}` } });
    expect(own.status).toBe(200);
  }, 30_000);

  it('is not seeded again once the demo users exist, even after every link was deleted', async () => {
    await stop(await start());
    const db = new Database(path.join(dataDir, 'facet.db'));
    db.prepare('DELETE FROM links').run();
    db.close();
    const again = await start();
    expect(again.output()).not.toContain('seeded demo data');
    expect((await fetch(`${again.baseUrl}/api/links/facet`)).status).toBe(404);
  }, 30_000);
});
