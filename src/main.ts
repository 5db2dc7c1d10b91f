import cluster from 'node:cluster';
import path from 'node:path';
import { format } from 'node:util';
import { buildRegistry } from '../representations/registry';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import type { Config } from './config';
import { createClickRecorder } from './domain/clicks';
import { createKeyUsage } from './domain/key-usage';
import { createPasswordHasher } from './domain/passwords';
import type { Store } from './domain/repository';
import { DEMO_KEYS, DEMO_PASSWORDS, seedDemoData } from './domain/seed';
import { StoreStartupError } from './domain/store-errors';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { handleClientError } from './http/pipeline/client-error';
import { createServer } from './http/pipeline/server';
import { scrapeAcrossWorkers } from './process/cluster-metrics';
import { formatAddress, listen, ListenError } from './process/listen';
import { exitWithStartupFailure, superviseWorkers } from './process/workers';
import { createStore } from './store/create-store';
import { describeDatabase } from './store/postgres/open';
import { drainServer } from './http/pipeline/shutdown';

/** API keys' last use is written this often (and at shutdown): `npm run keys -- list` is at most this late. */
const KEY_USAGE_FLUSH_MS = 30_000;

/**
 * Demo data goes into a store with no links and no demo users, even if `npm run keys -- create`
 * has already made a user and a key; a store holding the demo users (their links deleted since) is left alone.
 */
async function wantsDemoData(store: Store): Promise<boolean> {
  if (!(await store.isEmpty())) return false;
  for (const email of Object.keys(DEMO_PASSWORDS)) if (await store.credentials.findLogin(email)) return false;
  return true;
}

async function serve(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  const info = (message: string) => logger.info(message);
  // A worker's /metrics answers the sum over all workers, which the primary collects.
  const metrics = createMetrics(cluster.isWorker ? { scrape: scrapeAcrossWorkers } : {});
  const registry = buildRegistry();
  const where = config.databaseUrl ? describeDatabase(config.databaseUrl) : path.resolve(config.dataDir);
  // Demo data is seeded under the store's start-up lock: instances starting together seed it once.
  const store = await createStore(config, async (fresh) => {
    if (!config.seedDemoData || !(await wantsDemoData(fresh))) return;
    const seeded = await seedDemoData(fresh, new Date(), createPasswordHasher(config.signIn.passwordScryptLogN));
    info(`seeded demo data: ${seeded.links} links, ${seeded.clicks} clicks; keys ${DEMO_KEYS.user}, ${DEMO_KEYS.partner}`);
  });
  const clicks = createClickRecorder(store.clicks, {
    flushMs: config.clickFlushMs,
    onError: (err) => logger.error({ err }, 'click batch failed; kept for the next flush'),
    onBatch: (size, lagMs) => metrics.observeClickBatch(size, lagMs / 1000),
    onDrop: (click) => logger.warn({ linkRowId: click.linkRowId }, 'click dropped: the store has refused clicks for too long'),
  });
  const keyUsage = createKeyUsage(store.keys, { flushMs: KEY_USAGE_FLUSH_MS, now: () => new Date(), log: (message, err) => logger.error({ err }, message) });
  const app = createApp({ config, store, registry, clicks, logger, metrics, rateLimits: config.rateLimits, keyUsage });
  const server = createServer(app, config); // req/res born with Express's prototypes: see src/http/pipeline/server.ts
  server.on('clientError', handleClientError);
  let stopping = false;
  let listened = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    // A start-up called off (WORKERS=N giving up after a sibling failed) served nothing: the
    // primary's one line says why, and this process adds none.
    if (listened) info(`${signal}: closing; flushing ${clicks.pending()} pending clicks`);
    const { forced } = await drainServer(server, config.shutdownTimeoutMs);
    if (forced > 0) logger.warn(`${forced} connections still open after SHUTDOWN_TIMEOUT_MS were cut`);
    await clicks.close();
    await keyUsage.close();
    await store.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // Only now: whoever reads the line below may signal at once, and the handlers must be there.
  const bound = await listen(server, config.port, config.host);
  listened = true;
  info(`facet listening on ${formatAddress(bound)} (public URL ${config.publicBaseUrl}; ${store.kind} store: ${where})`);
  logger.flush(); // whoever waits for this line (a supervisor, a test) need not wait for the buffer
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) {
    superviseWorkers(config.workers, { say: (line) => process.stdout.write(`${line}\n`), fail: (line) => process.stderr.write(`${line}\n`) });
    return;
  }
  await serve(config);
}

/** The one line a failed start-up ends with; only an unexpected failure carries its stack. */
function startupFailure(err: unknown): string {
  if (err instanceof ConfigError) return `facet: configuration error: ${err.message}`;
  if (err instanceof StoreStartupError || err instanceof ListenError) return `facet: cannot start: ${err.message}`;
  return format('facet: failed to start', err);
}

main().catch((err: unknown) => exitWithStartupFailure(startupFailure(err)));
