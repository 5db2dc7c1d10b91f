import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Registry } from 'prom-client';

// With WORKERS=N a scrape reaches one worker, which asks the primary; the primary collects every
// listening worker's registry and sums it with prom-client's AggregatorRegistry.aggregate. The
// exchange is our own rather than AggregatorRegistry.clusterMetrics(), which also waits 5 s on a
// worker still starting (forked but not yet listening) and then fails the whole scrape.

/** The primary waits this long for each worker's registry; a scrape waits a little longer for the sum. */
const COLLECT_TIMEOUT_MS = 2000;
const SCRAPE_TIMEOUT_MS = COLLECT_TIMEOUT_MS + 1000;

type Metric = Awaited<ReturnType<Registry['getMetricsAsJSON']>>[number];
type Message =
  | { type: 'facet:metrics-scrape'; id: number }
  | { type: 'facet:metrics-collect'; id: number }
  | { type: 'facet:metrics-collected'; id: number; metrics: Metric[] }
  | { type: 'facet:metrics-scraped'; id: number; text: string };

const isMessage = <T extends Message['type']>(m: unknown, type: T): m is Extract<Message, { type: T }> =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;

const sum = async (registries: Metric[][], note: string): Promise<string> =>
  `# facet: ${note}\n${await AggregatorRegistry.aggregate(registries).metrics()}`;

/** In the primary: answers each worker's scrape with every listening worker's metrics, summed. */
export function answerScrapes(listening: () => Worker[]): void {
  let next = 0;
  const collecting = new Map<number, (metrics: Metric[]) => void>();
  cluster.on('message', (from, message: unknown) => {
    if (isMessage(message, 'facet:metrics-collected')) collecting.get(message.id)?.(message.metrics);
    if (!isMessage(message, 'facet:metrics-scrape')) return;
    const asked = listening().filter((w) => w.isConnected());
    const got: Metric[][] = [];
    const id = next++;
    const reply = () => {
      clearTimeout(timer);
      collecting.delete(id);
      const missing = asked.length - got.length;
      const note = missing === 0 ? `sum over ${got.length} workers` : `sum over ${got.length} of ${asked.length} workers (${missing} did not answer within ${COLLECT_TIMEOUT_MS} ms)`;
      void sum(got, note).then((text) => {
        if (from.isConnected()) from.send({ type: 'facet:metrics-scraped', id: message.id, text } satisfies Message);
      });
    };
    const timer = setTimeout(reply, COLLECT_TIMEOUT_MS);
    collecting.set(id, (metrics) => {
      got.push(metrics);
      if (got.length === asked.length) reply();
    });
    for (const worker of asked) worker.send({ type: 'facet:metrics-collect', id } satisfies Message);
    if (asked.length === 0) reply();
  });
}

/**
 * In a worker: lets the primary read `registry`, and returns the scrape to serve at /metrics: the
 * sum over all workers, or this worker's alone (saying so) when the primary does not answer in time.
 */
export function scrapeAcrossWorkers(registry: Registry): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, (text: string) => void>();
  process.on('message', (message: unknown) => {
    if (isMessage(message, 'facet:metrics-scraped')) waiting.get(message.id)?.(message.text);
    if (!isMessage(message, 'facet:metrics-collect')) return;
    void registry.getMetricsAsJSON().then((metrics) => {
      if (process.connected) process.send?.({ type: 'facet:metrics-collected', id: message.id, metrics } satisfies Message);
    });
  });
  return () => new Promise((resolve) => {
    const id = next++;
    const alone = async (why: string) => {
      waiting.delete(id);
      resolve(await sum([await registry.getMetricsAsJSON()], `worker ${process.pid} alone: ${why}`));
    };
    const timer = setTimeout(() => void alone(`the primary did not answer within ${SCRAPE_TIMEOUT_MS} ms`), SCRAPE_TIMEOUT_MS);
    waiting.set(id, (text) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(text);
    });
    if (!process.connected || !process.send) {
      clearTimeout(timer);
      void alone('no primary');
      return;
    }
    process.send({ type: 'facet:metrics-scrape', id } satisfies Message);
  });
}
