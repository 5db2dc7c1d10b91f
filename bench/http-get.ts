import http from 'node:http';

/** A response read whole. */
export interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes as they crossed the wire (still content-coded). */
  raw: Buffer;
}

/**
 * One request with exactly these headers (and `body`, if given), dropped after `timeoutMs` of silence. (fetch would add
 * `Cache-Control: no-cache` beside If-None-Match, which the load generator never sends and Express honours.)
 */
export function httpGet(url: string, headers: Record<string, string>, method = 'GET', body?: string, timeoutMs = 10_000): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString(), raw });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
