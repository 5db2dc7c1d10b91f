import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load';

/** Child-process entry: one autocannon run from the JSON options in argv, the LoadResult on stdout. */
async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const r = await autocannon({
    url: o.url,
    headers: o.headers,
    connections: o.connections,
    duration: o.seconds,
    maxOverallRequests: o.maxRequests,
    timeout: 5,
  });
  const result: LoadResult = {
    rps: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    wireBytes: r.requests.total ? r.throughput.total / r.requests.total : 0,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    badStatus: r['4xx'] + r['5xx'],
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
