import type http from 'node:http';
import net from 'node:net';

/** What a drain did: `forced` connections were still open at the deadline and were cut. */
export interface DrainOutcome {
  forced: number;
}

interface Tracked {
  draining: boolean;
  active: Set<http.ServerResponse>;
  sockets: Set<net.Socket>;
}

const TRACKED = new WeakMap<http.Server, Tracked>();

/** Remembers `server`'s responses under way and connections, so drainServer can close them cleanly. */
export function trackInFlight(server: http.Server): void {
  const tracked: Tracked = { draining: false, active: new Set(), sockets: new Set() };
  TRACKED.set(server, tracked);
  server.on('connection', (socket: net.Socket) => {
    tracked.sockets.add(socket);
    socket.once('close', () => tracked.sockets.delete(socket));
  });
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    // Node then sends `Connection: close` and ends the connection after this answer (RFC 9112 §9.6).
    if (tracked.draining) res.shouldKeepAlive = false;
    tracked.active.add(res);
    res.once('close', () => tracked.active.delete(res));
  });
}

/**
 * Stops accepting connections and answers every request already received, each with
 * `Connection: close`, so no client loses a request it sent on a keep-alive connection. Resolves
 * once every connection has ended, or at `timeoutMs`, when the ones left are cut.
 */
export async function drainServer(server: http.Server, timeoutMs: number): Promise<DrainOutcome> {
  const tracked = TRACKED.get(server);
  if (!tracked) throw new Error('drainServer needs a server created by createServer (trackInFlight)');
  tracked.draining = true;
  for (const res of tracked.active) if (!res.headersSent) res.shouldKeepAlive = false;
  // An idle keep-alive connection may carry a request already on the wire: closing it now would
  // reset that request. It is left to answer that request with `Connection: close`, or to end at
  // its keep-alive timeout (5 s), as in normal operation.
  // http.Server#close would close idle connections at once, so the listener is closed as a net.Server.
  const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => { timer = setTimeout(() => resolve('deadline'), timeoutMs); });
  const outcome = await Promise.race([closed, deadline]);
  clearTimeout(timer);
  const forced = outcome === 'deadline' ? tracked.sockets.size : 0;
  server.closeAllConnections();
  server.close(() => undefined); // stops Node's connection-timeout checks; the listener is already closed
  return { forced };
}
