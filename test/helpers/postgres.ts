import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../process/service-process';

/** A throwaway PostgreSQL server in a temp dir, on a free loopback port, removed by `stop()`. */
export interface PgCluster {
  /** URL of the `postgres` database, as the superuser `postgres` (trust auth on loopback). */
  url: string;
  port: number;
  /**
   * Creates an empty database and resolves with its URL. Its sessions run in `timezone` (default
   * UTC); `icuLocale` (e.g. 'en-US') makes text sort by that ICU collation instead of bytewise "C".
   */
  createDatabase(name: string, options?: { timezone?: string; icuLocale?: string }): Promise<string>;
  /** Shuts the server down, keeping its data: `fast` ends sessions cleanly, `immediate` is a crash. */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again on the same data dir and port (no-op while it runs); resolves once it accepts connections. */
  startServer(): Promise<void>;
  /** Stops the server (if running) and removes every file it had. Safe to call twice. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_S = 20;
const READY = /database system is ready to accept connections/;

/** The folder holding `initdb`, `postgres` and `pg_ctl`: $PG_BIN when set, else Debian's newest /usr/lib/postgresql/N/bin; or null. */
export function findPgBin(): string | null {
  const has = (dir: string) => ['initdb', 'postgres', 'pg_ctl'].every((b) => isExecutable(path.join(dir, b)));
  if (process.env.PG_BIN !== undefined) return has(process.env.PG_BIN) ? process.env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => path.join(root, v, 'bin')).find(has) ?? null;
}

/** Why no cluster can be started here (binaries or the `postgres` account missing), or null when one can. */
export function postgresMissing(): string | null {
  if (!findPgBin()) {
    return process.env.PG_BIN === undefined
      ? 'PostgreSQL binaries were not found in /usr/lib/postgresql/*/bin (Debian: apt-get install -y postgresql)'
      : `PG_BIN=${process.env.PG_BIN} does not hold initdb, postgres and pg_ctl`;
  }
  if (isRoot() && !postgresAccount()) return 'running as root, but there is no `postgres` account to run PostgreSQL as (it refuses root)';
  return null;
}

/**
 * Starts a throwaway cluster; null (with the reason printed) where PostgreSQL is missing locally.
 * Under CI=true a missing PostgreSQL throws: there it is a failure, never a skip.
 */
export async function startPostgres(): Promise<PgCluster | null> {
  const missing = postgresMissing();
  if (missing && process.env.CI === 'true') throw new Error(`${missing}. Under CI=true the PostgreSQL suites may not be skipped.`);
  if (missing) {
    console.warn(`PostgreSQL suites skipped: ${missing}.`);
    return null;
  }
  const bin = findPgBin() as string;
  const account = isRoot() ? postgresAccount() : null;
  const as = account ? { uid: account.uid, gid: account.gid } : {};
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-pg-'));
  // The server's account must reach the data and socket dirs through the temp dir and its parents.
  fs.chmodSync(base, 0o755);
  const closed = account ? ancestors(base).find((dir) => (fs.statSync(dir).mode & 0o001) === 0) : undefined;
  if (closed) {
    fs.rmSync(base, { recursive: true, force: true });
    throw new Error(`the postgres account cannot enter ${closed} (no search bit for others); set TMPDIR to a folder it can reach, e.g. /tmp`);
  }
  const data = path.join(base, 'data');
  const sockets = path.join(base, 'run');
  for (const dir of [data, sockets]) {
    fs.mkdirSync(dir, { mode: 0o700 });
    if (account) fs.chownSync(dir, account.uid, account.gid);
  }
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const run = (tool: string, args: string[]) => new Promise<void>((resolve, reject) => {
    execFile(path.join(bin, tool), args, { ...as, env, cwd: base }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`, { cause: err }));
      else resolve();
    });
  });

  let server: ChildProcess | null = null;
  let port = 0;
  let removed = false;
  const guardian = guard(bin, data, base, account);
  const remove = () => {
    fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
    guardian.stdin?.end();
  };

  const startServer = async () => {
    if (server) return;
    const child = spawn(path.join(bin, 'postgres'), [
      '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', sockets,
      // A throwaway cluster: durability buys nothing here, speed does.
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'max_connections=40', '-c', 'shared_buffers=16MB', '-c', 'logging_collector=off', '-c', 'timezone=UTC',
    ], { ...as, env, cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    // A cluster a test forgot to stop must not keep jest alive: its guardian ends it instead.
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as unknown as { unref?: () => void } | null)?.unref?.();
    let log = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`PostgreSQL did not accept connections within ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (READY.test(log)) done();
      };
      function done(err?: Error) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining the pipes so a chatty server never blocks on a full one.
        child.stdout?.resume();
        child.stderr?.resume();
        if (err) reject(err); else resolve();
      }
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (err) => done(new Error(`cannot run ${path.join(bin, 'postgres')}: ${err.message}`, { cause: err })));
      void exited.then((code) => done(new Error(`PostgreSQL exited with ${code} before accepting connections:\n${log}`)));
    }).catch(async (err: unknown) => {
      child.kill('SIGKILL');
      // A process that never started may never emit 'exit'.
      if (child.pid !== undefined) await exited;
      server = null;
      throw err;
    });
    // The exit is watched from here on, so a server killed behind our back reads as stopped.
    void exited.then(() => { if (server === child) server = null; });
  };

  const stopServer = async (mode: 'fast' | 'immediate' = 'fast') => {
    const child = server;
    if (!child) return;
    const exited = child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await run('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', String(STOP_TIMEOUT_S)]);
    } catch (err) {
      child.kill('SIGKILL');
      await exited;
      throw err;
    } finally {
      server = null;
    }
    await exited;
  };

  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    // The port is free a moment before the server binds it; a lost race is retried on another.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      try {
        await startServer();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|Address already in use/.test(String(err))) throw err;
      }
    }
  } catch (err) {
    remove();
    throw err;
  }

  const urlOf = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  return {
    url: urlOf('postgres'),
    port,
    async createDatabase(name, options = {}) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new Client({ connectionString: urlOf('postgres') });
      await client.connect();
      try {
        const collation = options.icuLocale ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE ${client.escapeLiteral(options.icuLocale)}` : '';
        await client.query(`CREATE DATABASE ${name}${collation}`);
        const timezone = client.escapeLiteral(options.timezone ?? 'UTC');
        await client.query(`ALTER DATABASE ${name} SET timezone = ${timezone}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
    stopServer,
    startServer,
    async stop() {
      if (removed) return;
      removed = true;
      try {
        await stopServer('fast');
      } finally {
        remove();
      }
    },
  };
}

/**
 * A describe block with a running cluster: started before its tests, stopped and removed after,
 * even when a test fails. `fn` gets a getter (the cluster exists only once the block runs).
 * Where PostgreSQL is missing the block is skipped with the reason printed; under CI=true it fails.
 */
export function describeWithPostgres(name: string, fn: (cluster: () => PgCluster) => void): void {
  const missing = postgresMissing();
  if (missing && process.env.CI === 'true') {
    describe(name, () => {
      it('runs under CI=true, where PostgreSQL must be installed', () => {
        throw new Error(`${missing}. Under CI=true the PostgreSQL suites may not be skipped.`);
      });
    });
    return;
  }
  if (missing) {
    console.warn(`Skipping "${name}": ${missing}.`);
    describe.skip(name, () => fn(() => { throw new Error('no PostgreSQL cluster'); }));
    return;
  }
  describe(name, () => {
    let cluster: PgCluster | null = null;
    beforeAll(async () => { cluster = await startPostgres(); }, 2 * START_TIMEOUT_MS);
    afterAll(async () => { await cluster?.stop(); }, 2 * STOP_TIMEOUT_S * 1000);
    fn(() => {
      if (!cluster) throw new Error('the PostgreSQL cluster is not running (did its start fail?)');
      return cluster;
    });
  });
}

// Jest's sandbox never runs a test file's process 'exit' listeners, and a killed worker runs none:
// a detached watcher whose stdin is this process's pipe sees EOF whenever this process ends, however
// it ends, then stops the server (immediate shutdown) and removes its files. A clean stop() has
// already done both, so the watcher finds nothing left and just exits.
const GUARDIAN = `
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const [pgCtl, data, base, uid, gid] = process.argv.slice(1);
let done = false;
const cleanUp = () => {
  if (done) return;
  done = true;
  if (fs.existsSync(data + '/postmaster.pid')) {
    const as = uid ? { uid: Number(uid), gid: Number(gid) } : {};
    try { execFileSync(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '20'], { ...as, stdio: 'ignore' }); } catch {}
  }
  fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
};
process.stdin.on('end', cleanUp).on('close', cleanUp).on('error', cleanUp).resume();
`;

/** Starts the watcher that cleans up after this process, detached so a signal to jest's group spares it. */
function guard(bin: string, data: string, base: string, account: { uid: number; gid: number } | null): ChildProcess {
  const watcher = spawn(process.execPath, ['-e', GUARDIAN, path.join(bin, 'pg_ctl'), data, base, String(account?.uid ?? ''), String(account?.gid ?? '')], {
    detached: true, stdio: ['pipe', 'ignore', 'ignore'],
  });
  watcher.unref();
  (watcher.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watcher;
}

/** `dir`'s parent folders, nearest first, up to the root. */
function ancestors(dir: string): string[] {
  const parents: string[] = [];
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) parents.push(d);
  return parents;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** uid and gid of the `postgres` account, from /etc/passwd; null when there is none. */
function postgresAccount(): { uid: number; gid: number } | null {
  try {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
  } catch {
    return null;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
