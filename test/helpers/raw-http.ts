import net from 'node:net';
import type { Response } from 'supertest';

/**
 * Sends raw bytes (what no HTTP client would send) on a fresh connection to `baseUrl` and reads
 * the answer until the server closes the connection. Returns just enough of a supertest Response
 * (status, lower-cased headers, text) for test/helpers/schema.ts to validate it.
 */
export function rawExchange(baseUrl: string, bytes: string): Promise<Response> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = Buffer.concat(chunks).toString('latin1').split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: body, req: { method: 'GET' } } as unknown as Response);
    });
  });
}
