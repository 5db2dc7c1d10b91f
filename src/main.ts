import path from 'node:path';
import { buildRegistry } from '../representations/registry';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createClickRecorder } from './domain/clicks';
import { DEMO_KEYS, seedDemoData } from './domain/seed';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { handleClientError } from './http/client-error';
import { createServer } from './http/server';
import { drainServer } from './http/shutdown';
import { createSqliteStore } from './store/sqlite/sqlite-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  const info = (message: string) => logger.info(message);
  const metrics = createMetrics();
  const registry = buildRegistry();
  const store = createSqliteStore(path.resolve(config.dataDir));
  if (config.seedDemoData && (await store.isEmpty())) {
    const seeded = await seedDemoData(store, new Date());
    info(`seeded demo data: ${seeded.links} links, ${seeded.clicks} clicks; keys ${DEMO_KEYS.user}, ${DEMO_KEYS.partner}`);
  }
  const clicks = createClickRecorder(store.clicks, {
    flushMs: config.clickFlushMs,
    onError: (err) => logger.error({ err }, 'click batch failed; kept for the next flush'),
    onBatch: (size, lagMs) => metrics.observeClickBatch(size, lagMs / 1000),
    onDrop: (click) => logger.warn({ linkRowId: click.linkRowId }, 'click dropped: the store has refused clicks for too long'),
  });
  const app = createApp({ config, store, registry, clicks, logger, metrics, rateLimits: config.rateLimits });
  const server = createServer(app, config); // req/res born with Express's prototypes: see src/http/server.ts
  server.on('clientError', handleClientError);
  server.listen(config.port, config.host, () => {
    info(`facet listening on ${config.publicBaseUrl} (data in ${path.resolve(config.dataDir)})`);
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
    await store.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`facet: configuration error: ${err.message}`);
  } else {
    console.error('facet: failed to start', err);
  }
  process.exit(1);
});
