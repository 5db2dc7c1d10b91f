import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PlainCounter, PlainHistogram } from './plain-metrics';
import type { CounterCell, HistogramCell } from './plain-metrics';

/** Labels of one answered request. */
export interface RequestLabels {
  method: string;
  route: string;
  status: number;
  /** Short name of the representation served (`summary`, `full`, `partner.v3`), `problem`, or `-`. */
  representation: string;
}

/** The service's Prometheus metrics, served at /metrics. */
export interface Metrics {
  registry: Registry;
  observeRequest(labels: RequestLabels, bytes: number, seconds: number): void;
  /** A 406: which type the client asked for first (bounded to known types). */
  observeNotAcceptable(requested: string): void;
  observeCacheLookup(hit: boolean): void;
  /** A request answered by the dispatcher (src/http/pipeline/dispatcher.ts), without Express. */
  observeFastPath(): void;
  observeClickBatch(size: number, lagSeconds: number): void;
}

/** Where /metrics text comes from, given this process's registry: with WORKERS=N, a sum over every worker's (src/process/cluster-metrics.ts). */
export type MetricsScrape = (registry: Registry) => () => Promise<string>;

/** A registry whose text is made by a scrape function (the sum over workers); what it collects is still its own. */
class ScrapedRegistry extends Registry {
  private readonly scrape: () => Promise<string>;
  constructor(scrapeOf: MetricsScrape) {
    super();
    this.scrape = scrapeOf(this);
  }
  override metrics(): Promise<string> {
    return this.scrape();
  }
}

/** Creates a registry with process metrics and Facet's own; `scrape` replaces what /metrics answers (this registry alone). */
export function createMetrics(options: { scrape?: MetricsScrape } = {}): Metrics {
  const registry = options.scrape ? new ScrapedRegistry(options.scrape) : new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new PlainCounter('facet_http_requests_total', 'Requests answered, by route, status and representation.', ['method', 'route', 'status', 'representation'], registry);
  const bytes = new PlainCounter('facet_http_response_bytes_total', 'Response body bytes, by route and representation: how mobile over-fetch shows.', ['route', 'representation'], registry);
  const duration = new PlainHistogram('facet_http_request_duration_seconds', 'Time to answer, by route and representation.', ['route', 'representation'], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registry);
  const notAcceptable = new Counter({ name: 'facet_negotiation_not_acceptable_total', help: '406 answers, by the media type the client asked for first.', labelNames: ['requested'], registers });
  const cache = new PlainCounter('facet_representation_cache_lookups_total', 'Lookups in the serialised-representation cache.', ['result'], registry);
  const fastPath = new PlainCounter('facet_http_fast_path_total', 'Requests answered from memory by the fast path, without Express (a share of facet_http_requests_total).', [], registry).cell();
  const batchSize = new Histogram({ name: 'facet_click_batch_size', help: 'Clicks written per batch.', buckets: [1, 5, 10, 25, 50, 100, 200], registers });
  const batchLag = new Histogram({ name: 'facet_click_batch_lag_seconds', help: 'Age of the oldest click of a batch when it was written.', buckets: [0.01, 0.1, 0.5, 1, 2, 5, 10, 30], registers });

  // Label sets are bounded (route templates, statuses, representations), so each one's cells are
  // found once and kept in maps keyed by each label in turn: no key string is built per request.
  interface Cells { requests: CounterCell; bytes: CounterCell; duration: HistogramCell }
  // route -> method -> status -> representation -> cells
  const bound = new Map<string, Map<string | number, Map<string | number, Map<string | number, Cells>>>>();
  const inner = <K, V>(map: Map<K, Map<string | number, V>>, key: K): Map<string | number, V> => {
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = new Map()));
    return value;
  };
  const cellsOf = ({ method, route, status, representation }: RequestLabels): Cells => {
    const byRepresentation = inner(inner(inner(bound, route), method), status) as Map<string, Cells>;
    let cells = byRepresentation.get(representation);
    if (cells === undefined) {
      cells = {
        requests: requests.cell(method, route, String(status), representation),
        bytes: bytes.cell(route, representation),
        duration: duration.cell(route, representation),
      };
      byRepresentation.set(representation, cells);
    }
    return cells;
  };
  const hit = cache.cell('hit');
  const miss = cache.cell('miss');

  return {
    registry,
    observeRequest(labels, size, seconds) {
      const cells = cellsOf(labels);
      cells.requests.value += 1;
      cells.bytes.value += size;
      cells.duration.observe(seconds);
    },
    observeNotAcceptable: (requested) => notAcceptable.inc({ requested }),
    observeFastPath: () => {
      fastPath.value += 1;
    },
    observeCacheLookup: (found) => {
      (found ? hit : miss).value += 1;
    },
    observeClickBatch(size, lagSeconds) {
      batchSize.observe(size);
      batchLag.observe(lagSeconds);
    },
  };
}
