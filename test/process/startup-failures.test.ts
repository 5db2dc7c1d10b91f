import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, refusedStart, startService } from './service-process';

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
  }, 30_000);

  it('refuses WORKERS above 1 on SQLite with a clear message', async () => {
    const { code, output } = await refusedStart({ WORKERS: '2' });
    expect(code).toBe(1);
    expect(output.trim()).toBe('facet: configuration error: WORKERS=2 needs DATABASE_URL (PostgreSQL): the embedded SQLite store serves one process');
  }, 30_000);

  it('refuses a DEPRECATE time without a zone with one line naming the variable', async () => {
    const { code, output } = await refusedStart({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00' });
    expect(code).toBe(1);
    expect(output.trim()).toBe('facet: configuration error: DEPRECATE gives partner.v3 the time "2027-01-01T00:00:00"; write an RFC 3339 date-time to the second with Z or an offset, e.g. partner.v3@2027-01-01T00:00:00Z');
  }, 30_000);
});

describe('a service that cannot open its listening socket', () => {
  it('stops with one line naming PORT when the port is taken', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const { code, output } = await refusedStart({ PORT: String(port) });
      expect(code).toBe(1);
      expect(output.trim().split('\n').filter((l) => !l.includes('seeded demo data'))).toEqual([
        `facet: cannot start: 127.0.0.1:${port} is already in use (EADDRINUSE): stop what holds it, or set PORT to another port`,
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);

  it('stops with one line naming HOST when the host does not resolve', async () => {
    const { code, output } = await refusedStart({ HOST: 'no-such-host.invalid' });
    expect(code).toBe(1);
    expect(output.trim().split('\n').filter((l) => !l.includes('seeded demo data'))).toEqual([
      expect.stringMatching(/^facet: cannot start: HOST=no-such-host\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\): set HOST to an address or a name of this machine, or leave it unset for all interfaces$/),
    ]);
  }, 30_000);
});

describe('the start-up line', () => {
  it('names the address actually bound, then the public URL and the store', async () => {
    const service = await startService({ PUBLIC_BASE_URL: 'https://sho.rt' });
    try {
      const { port } = new URL(service.baseUrl);
      const line = service.output().split('\n').find((l) => l.includes('facet listening'));
      expect(JSON.parse(line!).msg).toBe(`facet listening on 127.0.0.1:${port} (public URL https://sho.rt; sqlite store: ${path.resolve(service.dataDir)})`);
    } finally {
      service.child.kill('SIGKILL');
      await service.exited;
      fs.rmSync(service.dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
