import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger };

/** Log levels LOG_LEVEL may name. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The service's structured logger: JSON lines, or pino-pretty when a terminal is attached.
 * Nothing logs request headers, so a key or an Authorization header never reaches a log.
 */
export function createLogger(options: { level: string; pretty?: boolean; destination?: DestinationStream }): Logger {
  const base = { level: options.level, base: { service: 'facet' } };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  // Buffered writes: a log line per request must not cost a write(2) per request. The buffer is
  // flushed at least every second, so a quiet service's lines still show promptly, and on exit.
  const logger = pino(base, pino.destination({ dest: 1, sync: false, minLength: 4096 }));
  setInterval(() => logger.flush(), 1000).unref();
  return logger;
}
