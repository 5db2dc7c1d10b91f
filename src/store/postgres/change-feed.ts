import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import type { StoreChange } from '../../domain/repository';
import { CHANGES_CHANNEL } from './db';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/** A running LISTEN on the changes channel; `close` stops it for good. */
export interface ChangeFeed {
  /** Settles once the first attempt to LISTEN is over, whether it succeeded or not (then it retries). */
  ready: Promise<void>;
  close(): Promise<void>;
}

function parse(payload: string | undefined): StoreChange {
  try {
    const change = JSON.parse(payload ?? '') as StoreChange;
    if (change.kind === 'link' && typeof change.code === 'string') return change;
    if (change.kind === 'clicks' || change.kind === 'accounts') return { kind: change.kind };
  } catch {
    // An unreadable announcement is treated as "something changed".
  }
  return { kind: 'unknown' };
}

/**
 * LISTENs for StoreChange announcements on a connection of its own and passes each to `onChange`.
 * It reconnects with back-off from 250 ms to 5 s; announcements made meanwhile are missed, so
 * `unknown` (forget everything derived) is passed once it is back. Until then, caches rely on their TTL.
 */
export function listenForChanges(config: ClientConfig, onChange: (change: StoreChange) => void, log: (message: string, err: unknown) => void): ChangeFeed {
  let client: Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;
  let everConnected = false;

  const lost = (err: unknown) => {
    if (closed || client === null) return;
    log('store change feed lost; caches fall back to their TTL until it is back', err);
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    client = null;
    schedule();
  };

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => void connect(), retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  async function connect(): Promise<void> {
    const next = new Client(config);
    next.on('error', (err) => lost(err));
    next.on('end', () => lost(new Error('connection ended')));
    next.on('notification', (msg) => {
      if (msg.channel === CHANGES_CHANNEL) onChange(parse(msg.payload));
    });
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
      retryMs = RETRY_MIN_MS;
      if (everConnected) onChange({ kind: 'unknown' });
      everConnected = true;
    } catch (err) {
      lost(err);
    }
  }

  const ready = connect();
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await ready;
      const last = client;
      client = null;
      if (last) {
        last.removeAllListeners();
        last.on('error', () => undefined);
        await last.end().catch(() => undefined);
      }
    },
  };
}
