import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { describeWithPostgres, findPgBin } from '../helpers/postgres';
import { freePort, refusedStart, startService } from './service-process';

describeWithPostgres('starting on PostgreSQL 15 as deploy/README.md says', (cluster) => {
  const as = (role: string, database: string) => `postgres://${role}@127.0.0.1:${cluster().port}/${database}`;
  const where = (database: string) => `postgres://127.0.0.1:${cluster().port}/${database}`;
  const sql = async (statement: string) => {
    const client = new Client({ connectionString: cluster().url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  /** Runs one of PostgreSQL's client programs (createuser, createdb) as the superuser, as `sudo -u postgres …` would. */
  const asPostgres = (tool: string, ...args: string[]) => new Promise<void>((resolve, reject) => {
    execFile(path.join(findPgBin()!, tool), ['-h', '127.0.0.1', '-p', String(cluster().port), '-U', 'postgres', ...args], (err, _out, stderr) => (err ? reject(new Error(`${tool}: ${stderr}`)) : resolve()));
  });

  it('starts, migrated and seeded, on a role of its own and a database it owns (createuser facet; createdb -O facet facet)', async () => {
    await asPostgres('createuser', 'facet');
    await asPostgres('createdb', '-O', 'facet', 'facet');
    const service = await startService({ DATABASE_URL: as('facet', 'facet') });
    try {
      expect(service.output()).toContain('seeded demo data');
      expect(service.output()).toContain(`postgres store: ${where('facet')}`);
      expect((await fetch(`${service.baseUrl}/api/links/facet`)).status).toBe(200);
    } finally {
      service.child.kill('SIGKILL');
      await service.exited;
      fs.rmSync(service.dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('names the role and the grant when the role may not create tables in schema public (a database it does not own)', async () => {
    await sql('CREATE ROLE lowly LOGIN');
    await sql('CREATE DATABASE owned_by_postgres');
    const { code, output } = await refusedStart({ DATABASE_URL: as('lowly', 'owned_by_postgres') });
    expect(code).toBe(1);
    expect(output.trim()).toBe('facet: cannot start: PostgreSQL role "lowly" may not create tables in schema public of database "owned_by_postgres": createdb -O lowly owned_by_postgres, or GRANT CREATE ON SCHEMA public TO lowly');
  }, 30_000);

  it('says how to create a role that does not exist', async () => {
    const { code, output } = await refusedStart({ DATABASE_URL: as('ghost', 'postgres') });
    expect(code).toBe(1);
    expect(output.trim()).toBe(`facet: cannot start: PostgreSQL at ${where('postgres')} has no role "ghost": create it as the postgres OS user (sudo -u postgres createuser --pwprompt ghost), with its database if that is new too (sudo -u postgres createdb -O ghost postgres)`);
  }, 30_000);

  it('says how to create a database that does not exist', async () => {
    const { code, output } = await refusedStart({ DATABASE_URL: as('postgres', 'nowhere') });
    expect(code).toBe(1);
    expect(output.trim()).toBe(`facet: cannot start: PostgreSQL at ${where('nowhere')} has no database "nowhere": create it owned by role "postgres" (sudo -u postgres createdb -O postgres nowhere)`);
  }, 30_000);

  it('with WORKERS=2, exits 1 with the worker\'s own line when the first start fails, instead of forking again and again', async () => {
    const { code, output } = await refusedStart({ DATABASE_URL: as('ghost', 'postgres'), WORKERS: '2' });
    expect(code).toBe(1);
    expect(output).not.toContain('starting another');
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(/^facet: cannot start: PostgreSQL at .* has no role "ghost": /)]);
  }, 30_000);

  it('with WORKERS=2, exits 1 with one line when the port is taken', async () => {
    await sql('CREATE DATABASE busy_port');
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const { code, output } = await refusedStart({ DATABASE_URL: as('postgres', 'busy_port'), WORKERS: '2', PORT: String(port) });
      expect(code).toBe(1);
      expect(output).not.toContain('starting another');
      expect(output.trim().split('\n').filter((l) => !l.includes('seeded demo data'))).toEqual([
        `facet: cannot start: 127.0.0.1:${port} is already in use (EADDRINUSE): stop what holds it, or set PORT to another port`,
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);
});
