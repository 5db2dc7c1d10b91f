import { maxHeaderSize } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM } from '../../../representations/media-types';
import { problemBytes } from '../answer/error-handler';
import { HttpError, PROBLEMS } from '../answer/problems';
import type { ProblemCode } from '../answer/problems';

/** What each error of Node's HTTP parser is answered with; anything else is a 400. */
const PARSER_ERRORS: Record<string, { code: ProblemCode; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: 'header-fields-too-large',
    detail: `The request line and header fields together may be at most ${maxHeaderSize} bytes.`,
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request-timeout', detail: 'The request did not arrive in time.' },
};
const MALFORMED = { code: 'bad-request' as const, detail: 'The request is not well-formed HTTP/1.1.' };

/**
 * Listener for the server's `clientError` event: what Node's HTTP parser refuses before a request
 * exists — header fields over the size limit (431, RFC 6585 §5), a request too slow to arrive
 * (408), anything malformed (400) — is answered as problem+json instead of Node's bare status
 * line, and the connection is closed. The error is never logged: its `rawPacket` holds the
 * request's bytes, an Authorization header included.
 */
export function handleClientError(err: Error & { code?: string }, socket: Duplex): void {
  // A response already under way on this connection cannot be followed by another one.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { code, detail } = PARSER_ERRORS[err.code ?? ''] ?? MALFORMED;
  const error = new HttpError(code, detail);
  const body = problemBytes(error);
  const head = [
    `HTTP/1.1 ${error.status} ${PROBLEMS[code].title}`,
    `Content-Type: ${PROBLEM}`,
    `Content-Length: ${body.length}`,
    'Cache-Control: no-store',
    // As every answer of a service whose CORS grants depend on Origin (here: none is given).
    'Vary: Origin',
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}
