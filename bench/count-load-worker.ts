import { execFile } from 'node:child_process';
import net from 'node:net';
import { createHistogram } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { LoadResult } from './load';
import { pinned } from './processes';

/** A run of exactly `count` answers to one GET, over `connections` keep-alive sockets, one request in flight on each. */
export interface CountedLoad {
  url: string;
  headers: Record<string, string>;
  connections: number;
  count: number;
}

/**
 * Sends the requests over raw sockets and reads each answer's head for its status and
 * Content-Length (a chunked answer is an error: every answer loaded here has a length).
 * The duration is from the first request written to the last answer read, so req/s is the
 * run's own (autocannon stops at its next one-second tick, wrk at the end of -d).
 */
export function loadCounted(o: CountedLoad): Promise<LoadResult> {
  const url = new URL(o.url);
  const head = Object.entries(o.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${head}\r\n`, 'latin1');
  const latency = createHistogram();
  let [sent, answered, badStatus, errors, bytes] = [0, 0, 0, 0, 0];
  const sockets: net.Socket[] = [];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const s of sockets) s.destroy();
      resolve({ rps: answered / seconds, p50Ms: latency.percentile(50) / 1e6, p99Ms: latency.percentile(99) / 1e6, wireBytes: answered ? bytes / answered : 0, requests: answered, errors, badStatus });
    };
    const open = () => {
      const socket = net.connect(Number(url.port), url.hostname);
      sockets.push(socket);
      socket.setNoDelay(true);
      let pending: Buffer | null = null;
      let sentAt = 0n;
      const next = () => {
        if (sent >= o.count) return;
        sent += 1;
        sentAt = process.hrtime.bigint();
        socket.write(request);
      };
      socket.on('connect', next);
      // No error is expected on loopback: one ends the run, counted, rather than leave it waiting for answers that will not come.
      socket.on('error', () => { errors += 1; finish(); });
      socket.on('data', (chunk: Buffer) => {
        pending = pending ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) break;
          const text = pending.toString('latin1', 0, end);
          if (/\r\ntransfer-encoding:\s*chunked/i.test(text)) throw new Error(`${o.url}: a chunked answer`);
          const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1] ?? 0);
          if (pending.length < end + 4 + length) break;
          bytes += end + 4 + length;
          pending = pending.subarray(end + 4 + length);
          latency.record(Number(process.hrtime.bigint() - sentAt) || 1);
          answered += 1;
          if (Number(text.slice(9, 12)) >= 400) badStatus += 1;
          if (answered === o.count) { finish(); return; }
          next();
        }
        if (pending.length === 0) pending = null;
      });
    };
    for (let i = 0; i < Math.min(o.connections, o.count); i += 1) open();
  });
}

/** Runs loadCounted in its own process, pinned to `cpu`, so that its CPU is never the server's. */
export async function runCounted(o: CountedLoad, cpu: number): Promise<LoadResult> {
  const [cmd, ...args] = pinned(cpu, [process.execPath, __filename, JSON.stringify(o)]);
  const { stdout } = await promisify(execFile)(cmd!, args, { timeout: 600_000, maxBuffer: 2 ** 20 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as LoadResult;
}

if (require.main === module) {
  void loadCounted(JSON.parse(process.argv[2] ?? '{}') as CountedLoad).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
