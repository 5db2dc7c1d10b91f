import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { hashKey } from '../../src/domain/keys';
import { STORE_RETRY_AFTER_SECONDS } from '../../src/http/answer/error-handler';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { startService } from './service-process';
import type { ServiceProcess } from './service-process';

const registry = buildRegistry();
/** Ada's key for this test only, so finding it in the log would be a leak (the demo keys are printed at seeding). */
const SECRET = 'fct_user_store-lock-test';
const USER = `Bearer ${SECRET}`;
const VISITS = 5;

/** Resolves once the service has printed `text`, reading its output as it arrives (bounded wait). */
function outputContains(service: ServiceProcess, text: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!service.output().includes(text)) return;
      clearTimeout(timer);
      service.child.stdout?.off('data', check);
      service.child.stderr?.off('data', check);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${service.output()}`)), timeoutMs);
    service.child.stdout?.on('data', check);
    service.child.stderr?.on('data', check);
    check();
  });
}

const clicksOf = (db: Database.Database) => (db.prepare("SELECT click_count AS n FROM links WHERE code = 'facet'").get() as { n: number }).n;

describe('the real service while another process holds the SQLite write lock', () => {
  let service: ServiceProcess;
  let holder: Database.Database;
  let initialClicks: number;
  beforeAll(async () => {
    service = await startService({ CLICK_FLUSH_MS: '200' });
    // This test process is "another process": it opens the service's file and takes the lock.
    holder = new Database(path.join(service.dataDir, 'facet.db'));
    holder.prepare('INSERT INTO api_keys (id, key_hash, user_id, kind, label, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run('key_store_lock', hashKey(SECRET), 'usr_ada', 'user', 'store-lock test', Date.now());
    initialClicks = clicksOf(holder);
    holder.exec('BEGIN EXCLUSIVE');
  });
  afterAll(() => {
    if (holder.open) {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    service.child.kill('SIGKILL');
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it('answers writes with 503 problem+json and Retry-After, and /readyz with 503', async () => {
    const res = await request(service.baseUrl).post('/api/links').set('Authorization', USER).set('Accept', FULL).set('Content-Type', 'application/json')
      .send('{"url":"https://example.com/while-locked","code":"while-locked"}');
    expectProblem(registry, res, 503, 'unavailable');
    expect(res.headers['retry-after']).toBe(String(STORE_RETRY_AFTER_SECONDS));
    const ready = await request(service.baseUrl).get('/readyz');
    expectProblem(registry, ready, 503, 'unavailable');
    expect(ready.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('still follows short links, keeping their clicks until the store takes them', async () => {
    for (let i = 0; i < VISITS; i += 1) {
      const res = await request(service.baseUrl).get('/facet');
      expect(res.status).toBe(302);
      expectValidBody(registry, res);
    }
    await outputContains(service, 'click batch failed; kept for the next flush');
  });

  it('recovers without a restart once the lock is released: writes, readiness and the kept clicks', async () => {
    holder.exec('ROLLBACK');
    const res = await request(service.baseUrl).post('/api/links').set('Authorization', USER).set('Accept', FULL).set('Content-Type', 'application/json')
      .send('{"url":"https://example.com/after-lock","code":"after-lock"}');
    expect(res.status).toBe(201);
    expectValidBody(registry, res, 'link');
    const ready = await request(service.baseUrl).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const counted = clicksOf(holder) - initialClicks;
    process.stdout.write(`store lock: ${VISITS} visits during the lock, ${counted} clicks counted after it was released\n`);
    expect(counted).toBe(VISITS);
  }, 20_000);

  it('never wrote a key to its log', () => {
    expect(service.output()).not.toContain(SECRET);
  });
});
