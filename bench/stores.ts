/// <reference types="jest" />
// test/helpers/postgres.ts also declares a jest describe-helper; this bench only calls startPostgres().
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPgBin, startPostgres } from '../test/helpers/postgres';
import { describeMachine } from './machine';
import { pinned, startServer } from './processes';
import type { ServerProcess } from './processes';
import { benchCodes, benchKey, prepareStore } from './store-fixtures';
import type { StoreLoadJob, StoreLoadResult, StoreLoadSpec } from './store-load-worker';
import { renderStoreSection, writeStoreSection } from './store-report';
import type { StoreName, StoreScenarioResult } from './store-report';
import { envNumber, LOAD_CPU, PROJECT, runSettings, say, SERVER_CPU } from './settings';

const settings = {
  ...runSettings('BENCH_STORE_CONNECTIONS', 16),
  /** Dashboards read per measured run; each of a user no request has read before. */
  dashboardsPerRun: envNumber('BENCH_DASHBOARDS', 100),
};

/**
 * `npm run bench -- --stores` (or BENCH_STORES=1): Facet on SQLite and on a throwaway PostgreSQL,
 * the same three write- and read-through scenarios on each, interleaved, with ratios; the result
 * goes into its own section of bench/RESULTS.md.
 */
export async function runStoreBench(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-stores-'));
  const cluster = await startPostgres();
  if (!cluster) throw new Error('the store benchmark needs PostgreSQL (see the reason above)');
  const servers: Partial<Record<StoreName, ServerProcess>> = {};
  try {
    const users = settings.dashboardsPerRun * (settings.runs + 1);
    const configs: Record<StoreName, { dataDir: string; databaseUrl: string | undefined }> = {
      sqlite: { dataDir: path.join(work, 'data'), databaseUrl: undefined },
      postgres: { dataDir: path.join(work, 'unused'), databaseUrl: await cluster.createDatabase('facet_bench') },
    };
    for (const store of ['sqlite', 'postgres'] as const) {
      const started = Date.now();
      await prepareStore({ ...configs[store], pgPoolSize: 4, pgStatementTimeoutMs: 30_000 }, users);
      say(`${store}: seeded demo data and ${users} bench users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      servers[store] = await startServer({
        name: `facet-${store}`, script: path.join(PROJECT, 'dist', 'src', 'main.js'), cpu: SERVER_CPU, ready: 'facet listening', logFile: path.join(work, `${store}.log`),
        env: {
          DATA_DIR: configs[store].dataDir, ...(configs[store].databaseUrl ? { DATABASE_URL: configs[store].databaseUrl } : {}),
          NODE_ENV: 'development', LOG_LEVEL: 'info',
          // No serialised representation is kept: every answer is shaped and serialised anew.
          REPRESENTATION_CACHE_BYTES: '0',
          // One key and one address send every write; the limits are still counted, never reached.
          RATE_LIMIT_WRITES_PER_KEY: '1000000000', RATE_LIMIT_READS_PER_CREDENTIAL: '0', RATE_LIMIT_WRITES_PER_ADDRESS: '1000000000',
        },
      });
    }
    say(`load: ${settings.connections} connections from a node:http driver on CPU ${LOAD_CPU}, Facet on CPU ${SERVER_CPU}, PostgreSQL unpinned; `
      + `${settings.runs} × ${settings.seconds} s per store after ${settings.warmup} s warm-up, interleaved`);

    const order = (run: number): StoreName[] => (run % 2 === 0 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite']);
    const load = (store: StoreName, spec: StoreLoadSpec, seconds: number, tag: string) =>
      runJob({ baseUrl: servers[store]!.url, connections: settings.connections, seconds, spec }, work, tag);
    const results: StoreScenarioResult[] = [];

    // 1. Link creation: every request a new code; the codes created feed the card reads.
    const created: Record<StoreName, string[]> = { sqlite: [], postgres: [] };
    const creation: StoreScenarioResult = { name: 'link creation', request: 'POST /api/links (demo user key, a new code each), Accept: summary → 201', runs: {} };
    const create = async (store: StoreName, seconds: number, tag: string, measured: boolean) => {
      const r = await load(store, { kind: 'create', key: 'demo_user_key', prefix: `b${tag}` }, seconds, `create-${store}-${tag}`);
      created[store].push(...r.created);
      if (measured) (creation.runs[store] ??= []).push(r);
    };
    for (const store of order(0)) await create(store, settings.warmup, 'w', false);
    for (let run = 0; run < settings.runs; run += 1) for (const store of order(run)) await create(store, settings.seconds, `r${run}x`, true);
    creation.note = 'Each request inserts one link; on PostgreSQL the write limits are also counted in the database, shared by every instance (src/store/postgres/rate-limits.ts).';
    results.push(creation);
    say(`\n${renderStoreSection([creation])}`);

    // 2. Card reads of codes in turn (the bench users' links, then those just created): a code comes round again only after all the others.
    for (const store of ['sqlite', 'postgres'] as const) created[store].unshift(...benchCodes(users));
    const cards: StoreScenarioResult = { name: 'card read, uncached', request: 'GET /api/links/{the next of the bench users\' and the created links}, Accept: full → 200', runs: {} };
    for (const store of order(0)) await load(store, { kind: 'cards', codes: created[store] }, settings.warmup, `cards-${store}-w`);
    for (let run = 0; run < settings.runs; run += 1) {
      for (const store of order(run)) (cards.runs[store] ??= []).push(await load(store, { kind: 'cards', codes: created[store] }, settings.seconds, `cards-${store}-${run}`));
    }
    cards.note = (['sqlite', 'postgres'] as const).map((s) => {
      const rps = Math.max(...(cards.runs[s] ?? []).map((r) => r.rps));
      return `${s}: ${created[s].length} codes, each read again after ≥ ${(created[s].length / rps).toFixed(1)} s`;
    }).join('; ') + '. Uncached means: no serialised representation is kept (REPRESENTATION_CACHE_BYTES=0), and the hot-read cache '
      + '(1 s TTL, 10,000 codes) never still holds a code when it comes round again, so every request reads the link from the store and shapes and serialises it.';
    results.push(cards);
    say(`\n${renderStoreSection([cards])}`);

    // 3. Full dashboards, each of a user no request has read before (a finite pass per run).
    const dashboards: StoreScenarioResult = { name: 'full dashboard, uncached', request: `GET /api/dashboard (a different user's key each request, ${settings.dashboardsPerRun} per run), Accept: full → 200`, runs: {} };
    const keys = (slice: number) => Array.from({ length: settings.dashboardsPerRun }, (_, i) => benchKey(slice * settings.dashboardsPerRun + i));
    for (const store of order(0)) await load(store, { kind: 'dashboards', keys: keys(0) }, 0, `dash-${store}-w`);
    for (let run = 0; run < settings.runs; run += 1) {
      for (const store of order(run)) (dashboards.runs[store] ??= []).push(await load(store, { kind: 'dashboards', keys: keys(run + 1) }, 0, `dash-${store}-${run}`));
    }
    dashboards.note = 'Uncached means: each request is the first for its user, so neither the prepared-dashboard cache (1 s) nor the click-window cache '
      + 'has it and the key is looked up too. A bench user has 10 links with 30 days of clicks and no team (a ~6 KB full dashboard; the demo user\'s is ~25 KB). '
      + 'SQLite answers on the event loop; PostgreSQL\'s queries overlap across connections.';
    results.push(dashboards);
    say(`\n${renderStoreSection([dashboards])}`);

    const method = `node:http driver (bench/store-load-worker.ts), ${settings.connections} keep-alive connections, every request different (see each scenario); `
      + `${settings.warmup} s warm-up then ${settings.runs} runs × ${settings.seconds} s per store (dashboards: a pass of ${settings.dashboardsPerRun} users per run), stores alternating; `
      + 'median of the runs; p50/p99 are medians of the runs\' percentiles; Facet with REPRESENTATION_CACHE_BYTES=0, LOG_LEVEL=info, write limits raised to 10⁹; '
      + 'PostgreSQL 15 from test/helpers/postgres.ts (fsync=off, synchronous_commit=off: a throwaway cluster), SQLite with the service\'s own settings';
    const out = process.env.BENCH_RESULTS ?? path.join(PROJECT, 'bench', 'RESULTS.md');
    const machine = describeMachine('node:http').map(([k, v]): [string, string] => (k === 'load generator' ? [k, 'node:http (bench/store-load-worker.ts)'] : [k, v]));
    machine.unshift(['run', `npm run bench -- --stores with BENCH_SECONDS=${settings.seconds} BENCH_RUNS=${settings.runs} BENCH_WARMUP=${settings.warmup}`]);
    machine.push(['PostgreSQL', execFileSync(path.join(findPgBin()!, 'postgres'), ['--version']).toString().trim()]);
    // The machine is shared: how busy it was says how far to trust the absolute numbers.
    machine.push(['load average (1 min) at start / end', `${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)}`]);
    writeStoreSection(out, machine, method, results);
    say(`\nwritten to ${out} (section "Stores")`);
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await cluster.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Runs one job in a child process pinned to the load CPU; the created codes come back through a file. */
async function runJob(job: StoreLoadJob, work: string, tag: string): Promise<StoreLoadResult & { created: string[] }> {
  const jobFile = path.join(work, `${tag}.json`);
  const createdFile = path.join(work, `${tag}.created.json`);
  fs.writeFileSync(jobFile, JSON.stringify({ ...job, createdFile }));
  const [cmd, ...args] = pinned(LOAD_CPU, [process.execPath, path.join(__dirname, 'store-load-worker.js'), jobFile]);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(cmd!, args, { timeout: (job.seconds + 60) * 1000, maxBuffer: 1 << 20 }, (err, out, errOut) => (err ? reject(new Error(`${tag}: ${err.message}\n${errOut}`)) : resolve(out)));
  });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as StoreLoadResult;
  const created = fs.existsSync(createdFile) ? (JSON.parse(fs.readFileSync(createdFile, 'utf8')) as string[]) : [];
  return { ...result, created };
}
