import fs from 'node:fs';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { DEMO_KEYS } from '../../src/domain/seed';
import type { ServiceProcess } from '../process/service-process';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { childPids, describeOnPostgres, eventually, ms, report } from './helpers';

const registry = buildRegistry();
const STATEMENT_TIMEOUT_MS = 2000;
/**
 * A server that stops answering (a partition, a frozen host) must not hold a request much past
 * the configured statement timeout: docs/design.md "503 with Retry-After, never a hang".
 */
const ANSWER_BOUND_MS = STATEMENT_TIMEOUT_MS + 2000;

/** The parent pid of `pid`, from /proc. */
const parentOf = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);

describeOnPostgres('one instance while PostgreSQL stops answering (SIGSTOP) and resumes', (ctx) => {
  let url: string;
  let service: ServiceProcess;
  /** The postmaster and its children, frozen by the test; always resumed, even when it fails. */
  let frozen: number[] = [];
  const resume = () => {
    for (const pid of frozen) {
      try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
    }
    frozen = [];
  };
  ctx.atEnd(resume);

  beforeAll(async () => {
    url = await ctx.database();
    service = await ctx.start(url, { PG_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), RATE_LIMIT_WRITES_PER_KEY: '0', RATE_LIMIT_WRITES_PER_ADDRESS: '0', RATE_LIMIT_REDIRECTS_PER_ADDRESS: '0' });
    // The service's pool holds open connections when the server freezes: requests meet a silent peer, not a refusal.
    expect((await request(service.baseUrl).get('/readyz')).status).toBe(200);
    const [{ pid }] = await ctx.query<{ pid: number }>(url, 'SELECT pg_backend_pid() AS pid') as [{ pid: number }];
    const postmaster = parentOf(pid);
    frozen = [postmaster, ...(await childPids(postmaster))];
    for (const p of frozen) process.kill(p, 'SIGSTOP');
  }, 60_000);

  it(`answers a card read that misses its cache, a write and /readyz with 503 within ${ANSWER_BOUND_MS} ms`, async () => {
    const answers = [];
    for (const [what, send] of [
      ['uncached card read', () => request(service.baseUrl).get('/api/links/rfc9457').set('Accept', FULL)],
      // A query string makes the fast path decline at once: Express alone reads the store.
      ['uncached card read (Express only)', () => request(service.baseUrl).get('/api/links/rfc9111?via=express').set('Accept', FULL)],
      ['write (POST /api/links)', () => request(service.baseUrl).post('/api/links').set('Authorization', `Bearer ${DEMO_KEYS.user}`).set('Accept', FULL)
        .set('Content-Type', 'application/json').send('{"url":"https://example.com/frozen","code":"while-frozen"}')],
      ['/readyz', () => request(service.baseUrl).get('/readyz')],
    ] as [string, () => request.Test][]) {
      // One at a time, so each meets the frozen server on its own.
      const started = performance.now();
      const res = await send().timeout(30_000);
      const took = performance.now() - started;
      report(`frozen database (statement timeout ${STATEMENT_TIMEOUT_MS} ms): ${what} answered ${res.status} in ${ms(took)}`);
      answers.push({ what, res, took });
    }
    for (const { res } of answers) {
      expectProblem(registry, res, 503, 'unavailable');
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    }
    expect(Object.fromEntries(answers.map(({ what, took }) => [what, took < ANSWER_BOUND_MS])))
      .toEqual({ 'uncached card read': true, 'uncached card read (Express only)': true, 'write (POST /api/links)': true, '/readyz': true });
  }, 60_000);

  it('recovers without a restart once the server answers again', async () => {
    resume();
    const resumed = performance.now();
    await eventually(async () => expect((await request(service.baseUrl).get('/readyz')).status).toBe(200), { timeoutMs: 20_000, intervalMs: 50 });
    const created = await request(service.baseUrl).post('/api/links').set('Authorization', `Bearer ${DEMO_KEYS.user}`).set('Accept', FULL)
      .set('Content-Type', 'application/json').send('{"url":"https://example.com/thawed","code":"after-thaw"}');
    expect(created.status).toBe(201);
    expectValidBody(registry, created, 'link');
    report(`frozen database: ready and writing again ${ms(performance.now() - resumed)} after the server resumed`);
    expect(service.child.exitCode).toBeNull();
  }, 60_000);
});
