import type { Registry } from 'prom-client';

// prom-client's labelled children re-validate and re-hash their label object on every inc() and
// observe() (about 3 µs of every answer, bench/RESULTS.md "Where the microseconds go"). These two
// metrics keep one plain record per label set instead, found by the caller once and kept, and give
// prom-client the same values only when it is scraped: the registry reads any object with a
// name, help, type, aggregator and get(), and /metrics prints what prom-client's own would.

type Labels = Readonly<Record<string, string>>;
interface Value { labels: Record<string, string | number>; value: number; metricName?: string }
interface MetricData { name: string; help: string; type: 'counter' | 'histogram'; values: Value[]; aggregator: 'sum' }

/** One label set's count: add to `value`. */
export interface CounterCell { value: number }

/** One label set's observations: record them with observe(). */
export interface HistogramCell {
  observe(value: number): void;
}

abstract class PlainMetric<Cell> {
  readonly aggregator = 'sum';
  protected cells = new Map<string, { labels: Labels; cell: Cell }>();
  constructor(readonly name: string, readonly help: string, private readonly labelNames: readonly string[], registry: Registry) {
    registry.registerMetric(this as never);
  }

  /** The cell of one label set, in labelNames' order; look it up once and keep it. */
  cell(...values: string[]): Cell {
    const key = values.join('\u0000');
    let entry = this.cells.get(key);
    if (entry === undefined) {
      entry = { labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), cell: this.create() };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  /** Zeroes every label set (kept: a caller holds its cells), where prom-client would forget them. */
  reset(): void {
    for (const { cell } of this.cells.values()) this.zero(cell);
  }

  protected abstract create(): Cell;
  protected abstract zero(cell: Cell): void;
}

/** A counter whose label sets are cells, read by prom-client at a scrape. */
export class PlainCounter extends PlainMetric<CounterCell> {
  readonly type = 'counter';
  protected create(): CounterCell {
    return { value: 0 };
  }

  protected zero(cell: CounterCell): void {
    cell.value = 0;
  }

  get(): MetricData {
    const values = [...this.cells.values()].map(({ labels, cell }) => ({ labels: { ...labels }, value: cell.value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

class Buckets implements HistogramCell {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(private readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]! += 1;
        return;
      }
    }
  }
}

/** A histogram (cumulative `le` buckets, `_sum`, `_count`) whose label sets are cells. */
export class PlainHistogram extends PlainMetric<HistogramCell> {
  readonly type = 'histogram';
  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registry: Registry) {
    super(name, help, labelNames, registry);
  }

  protected create(): HistogramCell {
    return new Buckets(this.bounds);
  }

  protected zero(cell: HistogramCell): void {
    const b = cell as Buckets;
    b.counts.fill(0);
    b.sum = 0;
    b.count = 0;
  }

  get(): MetricData {
    const values: Value[] = [];
    for (const { labels, cell } of this.cells.values()) {
      const b = cell as Buckets;
      let below = 0;
      this.bounds.forEach((le, i) => {
        below += b.counts[i]!;
        values.push({ labels: { le, ...labels }, value: below, metricName: `${this.name}_bucket` });
      });
      values.push(
        { labels: { le: '+Inf', ...labels }, value: b.count, metricName: `${this.name}_bucket` },
        { labels: { ...labels }, value: b.sum, metricName: `${this.name}_sum` },
        { labels: { ...labels }, value: b.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
