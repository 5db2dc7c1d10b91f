import type { ServerResponse } from 'node:http';

/**
 * Writes a JSON answer that carries a credential or is about one: never stored by any cache
 * (RFC 6749 §5.1: Cache-Control no-store and Pragma no-cache on token answers).
 */
export function sendUncached(res: ServerResponse, status: number, body: unknown, headers: string[] = []): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, [...headers, 'Content-Type', 'application/json', 'Cache-Control', 'no-store', 'Pragma', 'no-cache', 'Content-Length', String(bytes.length)]).end(bytes);
}
