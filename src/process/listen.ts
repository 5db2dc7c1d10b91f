import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The listening socket could not be opened (a busy PORT, a HOST that is not here): start-up stops with this one line. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What to change for each way `listen` fails, in the words of the setting to change. */
function explain(err: NodeJS.ErrnoException, port: number, host: string | undefined): string {
  const where = host === undefined ? `port ${port}` : `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (EADDRINUSE): stop what holds it, or set PORT to another port`;
    case 'EACCES':
      return `${where} needs privileges this process lacks (EACCES): set PORT to 1024 or above`;
    case 'EADDRNOTAVAIL':
      return `HOST=${host ?? ''} is not an address of this machine (EADDRNOTAVAIL): set HOST to one of its addresses, or leave it unset for all interfaces`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `HOST=${host ?? ''} does not resolve (${err.code}): set HOST to an address or a name of this machine, or leave it unset for all interfaces`;
    default:
      return `cannot listen on ${where}: ${err.message}`;
  }
}

/** `host:port` of a bound socket, IPv6 in brackets (`[::]:3000`, `127.0.0.1:3000`). */
export function formatAddress(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

/** Listens on `host:port` (all interfaces when `host` is unset); resolves with the bound address, rejects with a ListenError. */
export function listen(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(new ListenError(explain(err, port, host), { cause: err }));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    });
  });
}
