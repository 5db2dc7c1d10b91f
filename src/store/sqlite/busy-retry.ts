import { setTimeout as delay } from 'node:timers/promises';
import { wrapMethods } from '../wrap-methods';
import { isBusy } from './errors';

/**
 * How long a statement keeps trying while another process holds the SQLite lock. The connection
 * itself never waits (busy_timeout 0): better-sqlite3 is synchronous, so a wait inside SQLite would
 * stall the event loop and every request with it. Retries are timers instead, and reads in WAL
 * mode never meet the lock at all.
 */
export const BUSY_WAIT_MS = 500;

/** Retries a method that met a held lock on timers (5, 10, 20 … ms) until `waitMs` has passed, then throws the last error. */
export function retryWhileBusy<T extends object>(repo: T, waitMs = BUSY_WAIT_MS): T {
  return wrapMethods(repo, (method) => async (...args) => {
    const deadline = Date.now() + waitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      try {
        return await method(...args);
      } catch (err) {
        if (!isBusy(err) || Date.now() + pause > deadline) throw err;
        await delay(pause);
      }
    }
  });
}
