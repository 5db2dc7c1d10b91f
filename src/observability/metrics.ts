import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
  const requests = new Counter({ name: 'facet_http_requests_total', help: 'Requests answered, by route, status and representation.', labelNames: ['method', 'route', 'status', 'representation'], registers });
  const bytes = new Counter({ name: 'facet_http_response_bytes_total', help: 'Response body bytes, by route and representation: how mobile over-fetch shows.', labelNames: ['route', 'representation'], registers });
  const duration = new Histogram({ name: 'facet_http_request_duration_seconds', help: 'Time to answer, by route and representation.', labelNames: ['route', 'representation'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
  const notAcceptable = new Counter({ name: 'facet_negotiation_not_acceptable_total', help: '406 answers, by the media type the client asked for first.', labelNames: ['requested'], registers });
  const cache = new Counter({ name: 'facet_representation_cache_lookups_total', help: 'Lookups in the serialised-representation cache.', labelNames: ['result'], registers });
  const fastPath = new Counter({ name: 'facet_http_fast_path_total', help: 'Requests answered from memory by the fast path, without Express (a share of facet_http_requests_total).', registers });
  const batchSize = new Histogram({ name: 'facet_click_batch_size', help: 'Clicks written per batch.', buckets: [1, 5, 10, 25, 50, 100, 200], registers });
  const batchLag = new Histogram({ name: 'facet_click_batch_lag_seconds', help: 'Age of the oldest click of a batch when it was written.', buckets: [0.01, 0.1, 0.5, 1, 2, 5, 10, 30], registers });

  // Label sets are bounded (route templates, statuses, representations), so each one's children
  // are looked up once and kept: prom-client would otherwise hash the label object on every call.
  const bound = new Map<string, { requests: Counter.Internal; bytes: Counter.Internal; duration: Histogram.Internal<string> }>();
  const childrenOf = (labels: RequestLabels) => {
    const key = `${labels.method} ${labels.route} ${labels.status} ${labels.representation}`;
    let children = bound.get(key);
    if (children === undefined) {
      children = {
        requests: requests.labels(labels.method, labels.route, String(labels.status), labels.representation),
        bytes: bytes.labels(labels.route, labels.representation),
        duration: duration.labels(labels.route, labels.representation),
      };
      bound.set(key, children);
    }
    return children;
  };

  return {
    registry,
    observeRequest(labels, size, seconds) {
      const children = childrenOf(labels);
      children.requests.inc();
      children.bytes.inc(size);
      children.duration.observe(seconds);
    },
    observeNotAcceptable: (requested) => notAcceptable.inc({ requested }),
    observeFastPath: () => fastPath.inc(),
    observeCacheLookup: (hit) => cache.inc({ result: hit ? 'hit' : 'miss' }),
    observeClickBatch(size, lagSeconds) {
      batchSize.observe(size);
      batchLag.observe(lagSeconds);
    },
  };
}
