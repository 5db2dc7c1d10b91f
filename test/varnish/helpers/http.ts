import http from 'node:http';

/** What a test needs of a response. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes as received (compressed when Content-Encoding says so). */
  bytes: Buffer;
}

/** Request headers; an array sends the header once per element, undefined leaves it out. */
export type Headers = Record<string, string | string[] | undefined>;

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Sends one request to 127.0.0.1:port with exactly these headers (no defaults added but Host and, with a body, Content-Length); `body` is sent as JSON. */
export function send(port: number, path: string, headers: Headers = {}, method = 'GET', body?: unknown): Promise<Reply> {
  const defined = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string | string[]] => e[1] !== undefined));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: defined, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString(), bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Closes the kept-alive sockets so the test process can exit. */
export function closeConnections(): void {
  agent.destroy();
}
