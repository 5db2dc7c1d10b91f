import type { ServerResponse } from 'node:http';

/** Sets the headers every answer carries, whichever path answers it: nosniff (no MIME sniffing of any body). */
export function commonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
}
