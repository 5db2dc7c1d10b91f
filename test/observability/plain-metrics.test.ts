import fc from 'fast-check';
import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { PlainCounter, PlainHistogram } from '../../src/observability/plain-metrics';

// The plain metrics must read to a scrape exactly as prom-client's own would: same text, same
// JSON (what the cluster primary sums), for any observations.

const BOUNDS = [0.001, 0.005, 0.01, 0.1, 1];
const ROUTES = ['/api/links/:code', '/:code', 'other'];
const REPRESENTATIONS = ['summary', 'full', '-'];

const observation = fc.record({
  route: fc.constantFrom(...ROUTES),
  representation: fc.constantFrom(...REPRESENTATIONS),
  seconds: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(...BOUNDS)),
  bytes: fc.nat(100_000),
});

interface Observation { route: string; representation: string; seconds: number; bytes: number }

function both(observations: Observation[]) {
  const theirs = new Registry();
  const ours = new Registry();
  const theirCounter = new Counter({ name: 'bytes_total', help: 'b', labelNames: ['route', 'representation'], registers: [theirs] });
  const theirHistogram = new Histogram({ name: 'seconds', help: 's', labelNames: ['route', 'representation'], buckets: BOUNDS, registers: [theirs] });
  const ourCounter = new PlainCounter('bytes_total', 'b', ['route', 'representation'], ours);
  const ourHistogram = new PlainHistogram('seconds', 's', ['route', 'representation'], BOUNDS, ours);
  for (const o of observations) {
    theirCounter.inc({ route: o.route, representation: o.representation }, o.bytes);
    theirHistogram.observe({ route: o.route, representation: o.representation }, o.seconds);
    ourCounter.cell(o.route, o.representation).value += o.bytes;
    ourHistogram.cell(o.route, o.representation).observe(o.seconds);
  }
  return { theirs, ours };
}

test('a scrape of the plain counter and histogram prints what prom-client prints for the same observations', async () => {
  await fc.assert(fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
    const { theirs, ours } = both(observations);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  }), { numRuns: 100 });
});

test('the cluster primary sums plain metrics of several workers as it sums prom-client ones', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.array(observation, { maxLength: 20 }), { minLength: 1, maxLength: 3 }), async (workers) => {
    const pairs = workers.map(both);
    const sum = async (registries: Registry[]) => AggregatorRegistry.aggregate(await Promise.all(registries.map((r) => r.getMetricsAsJSON()))).metrics();
    expect(await sum(pairs.map((p) => p.ours))).toBe(await sum(pairs.map((p) => p.theirs)));
  }), { numRuns: 50 });
});

test('a label-free counter reads 0 before anything is counted; reset() zeroes the cells a caller holds, which count on', async () => {
  const registry = new Registry();
  const plain = new PlainCounter('answers_total', 'a', [], registry);
  const cell = plain.cell();
  expect(await registry.metrics()).toBe('# HELP answers_total a\n# TYPE answers_total counter\nanswers_total 0\n');
  cell.value += 3;
  expect(await registry.metrics()).toContain('answers_total 3\n');
  registry.resetMetrics();
  expect(await registry.metrics()).toContain('answers_total 0\n');
  cell.value += 1;
  expect(await registry.metrics()).toContain('answers_total 1\n');
  const histogram = new PlainHistogram('wait_seconds', 'w', ['route'], BOUNDS, registry);
  const held = histogram.cell('/x');
  held.observe(0.002);
  registry.resetMetrics();
  held.observe(0.5);
  expect(await registry.metrics()).toContain('wait_seconds_bucket{le="0.005",route="/x"} 0\nwait_seconds_bucket{le="0.01",route="/x"} 0\nwait_seconds_bucket{le="0.1",route="/x"} 0\nwait_seconds_bucket{le="1",route="/x"} 1\n');
  expect(await registry.metrics()).toContain('wait_seconds_count{route="/x"} 1\n');
});
