import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the peer of the connection. The service trusts no forwarding header
 * (Express's `trust proxy` is off, so `req.ip` is this too); every rule that needs the address
 * (rate limits) asks here, on whichever path answers.
 */
export function clientAddress(req: IncomingMessage): string | undefined {
  return req.socket.remoteAddress;
}
