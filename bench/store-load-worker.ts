import fs from 'node:fs';
import http from 'node:http';
import { createHistogram } from 'node:perf_hooks';

/**
 * What one store-scenario run sends. Unlike bench/load.ts (one URL, wrk or autocannon), every
 * request here differs, so that no cache of the service answers it: a new link's code, a card
 * read in turn from `codes`, a dashboard of the next user in `keys` (each key once: a finite pass).
 */
export type StoreLoadSpec =
  | { kind: 'create'; key: string; prefix: string }
  | { kind: 'cards'; codes: string[] }
  | { kind: 'dashboards'; keys: string[] };

/** What a run measured; latencies in milliseconds. */
export interface StoreLoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Mean response body bytes. */
  bodyBytes: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Responses with status ≥ 400. */
  badStatus: number;
}

/** A run of a spec against `baseUrl`; `seconds` bounds the create and cards kinds. */
export interface StoreLoadJob {
  baseUrl: string;
  connections: number;
  seconds: number;
  spec: StoreLoadSpec;
  /** Where the codes of the links created (201) are written, for the create kind. */
  createdFile?: string;
}

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  code?: string;
}

const FULL = 'application/vnd.example.full+json';
const SUMMARY = 'application/vnd.example.summary+json';

/** The requests of a spec, one at a time; null when a finite pass is over. */
function requests(spec: StoreLoadSpec): () => Request | null {
  let n = 0;
  if (spec.kind === 'create') {
    const headers = { Authorization: `Bearer ${spec.key}`, Accept: SUMMARY, 'Content-Type': 'application/json' };
    return () => {
      const code = `${spec.prefix}${(n += 1)}`;
      return { method: 'POST', path: '/api/links', headers, body: JSON.stringify({ url: `https://example.org/bench/${code}`, code }), code };
    };
  }
  if (spec.kind === 'cards') {
    return () => ({ method: 'GET', path: `/api/links/${spec.codes[(n += 1) % spec.codes.length]!}`, headers: { Accept: FULL } });
  }
  return () => {
    const key = spec.keys[n];
    n += 1;
    return key === undefined ? null : { method: 'GET', path: '/api/dashboard', headers: { Authorization: `Bearer ${key}`, Accept: FULL } };
  };
}

/** Runs the job with `connections` concurrent keep-alive requesters; latencies from a perf_hooks histogram. */
export async function runStoreLoad(job: StoreLoadJob): Promise<StoreLoadResult & { created: string[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const next = requests(job.spec);
  const histogram = createHistogram();
  const created: string[] = [];
  let requestsDone = 0;
  let errors = 0;
  let badStatus = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + job.seconds * 1000;
  const one = (r: Request) => new Promise<void>((resolve) => {
    const t0 = process.hrtime.bigint();
    const headers = r.body === undefined ? r.headers : { ...r.headers, 'Content-Length': String(Buffer.byteLength(r.body)) };
    const req = http.request(`${job.baseUrl}${r.path}`, { method: r.method, headers, agent }, (res) => {
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => {
        histogram.record(Number(process.hrtime.bigint() - t0));
        requestsDone += 1;
        if ((res.statusCode ?? 0) >= 400) badStatus += 1;
        else if (r.code !== undefined && res.statusCode === 201) created.push(r.code);
        resolve();
      });
    });
    req.on('error', () => { errors += 1; resolve(); });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end(r.body);
  });
  const loop = async () => {
    while (job.spec.kind === 'dashboards' || Date.now() < deadline) {
      const r = next();
      if (r === null) return;
      await one(r);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, loop));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return {
    rps: requestsDone / seconds,
    p50Ms: histogram.percentile(50) / 1e6,
    p99Ms: histogram.percentile(99) / 1e6,
    bodyBytes: requestsDone ? bytes / requestsDone : 0,
    requests: requestsDone,
    errors,
    badStatus,
    created,
  };
}

/** Child-process entry: the job from the JSON file in argv, the StoreLoadResult on stdout's last line. */
async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as StoreLoadJob;
  const { created, ...result } = await runStoreLoad(job);
  if (job.createdFile) fs.writeFileSync(job.createdFile, JSON.stringify(created));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) void main();
