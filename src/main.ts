import cluster from 'node:cluster';
import path from 'node:path';
import { buildRegistry } from '../representations/registry';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import type { Config } from './config';
import { createClickRecorder } from './domain/clicks';
import { createKeyUsage } from './domain/key-usage';
import { createPasswordHasher } from './domain/passwords';
import { DEMO_KEYS, seedDemoData } from './domain/seed';
import { StoreStartupError } from './domain/store-errors';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { handleClientError } from './http/client-error';
import { createServer } from './http/server';
import { superviseWorkers } from './process/workers';
import { createStore } from './store/create-store';
import { describeDatabase } from './store/postgres/open';
import { drainServer } from './http/shutdown';

/** API keys' last use is written this often (and at shutdown): `npm run keys -- list` is at most this late. */
const KEY_USAGE_FLUSH_MS = 30_000;

async function serve(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  const info = (message: string) => logger.info(message);
  const metrics = createMetrics();
  const registry = buildRegistry();
  const where = config.databaseUrl ? describeDatabase(config.databaseUrl) : path.resolve(config.dataDir);
  // Demo data is seeded under the store's start-up lock: instances starting together seed it once.
  const store = await createStore(config, async (fresh) => {
    if (!config.seedDemoData || !(await fresh.isEmpty())) return;
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
  const server = createServer(app, config); // req/res born with Express's prototypes: see src/http/server.ts
  server.on('clientError', handleClientError);
  server.listen(config.port, config.host, () => {
    info(`facet listening on ${config.publicBaseUrl} (${store.kind} store: ${where})`);
    logger.flush(); // whoever waits for this line (a supervisor, a test) need not wait for the buffer
  });

  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    info(`${signal}: closing; flushing ${clicks.pending()} pending clicks`);
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
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) {
    superviseWorkers(config.workers, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  await serve(config);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`facet: configuration error: ${err.message}`);
  } else if (err instanceof StoreStartupError) {
    console.error(`facet: cannot start: ${err.message}`);
  } else {
    console.error('facet: failed to start', err);
  }
  process.exit(1);
});
