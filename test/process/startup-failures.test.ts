import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startService } from './service-process';

/** Starts the service expecting it to refuse; resolves with its exit code and output. */
async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-refuse-'));
  try {
    await startService(env, dataDir);
    throw new Error('the service started');
  } catch (err) {
    const message = (err as Error).message;
    const match = /exited with (\d+|null) before listening:\n([\s\S]*)$/.exec(message);
    if (!match) throw err;
    return { code: match[1] === 'null' ? null : Number(match[1]), output: match[2]! };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('a service that cannot reach its database', () => {
  it('stops with one line naming the PostgreSQL server, without the password or a stack trace', async () => {
    const port = await freePort();
    const { code, output } = await refusedStart({ DATABASE_URL: `postgres://facet:hunter2@127.0.0.1:${port}/facet` });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^facet: cannot start: cannot reach PostgreSQL at postgres://127\\.0\\.0\\.1:${port}/facet: `));
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('refuses WORKERS above 1 on SQLite with a clear message', async () => {
    const { code, output } = await refusedStart({ WORKERS: '2' });
    expect(code).toBe(1);
    expect(output.trim()).toBe('facet: configuration error: WORKERS=2 needs DATABASE_URL (PostgreSQL): the embedded SQLite store serves one process');
  });
});
