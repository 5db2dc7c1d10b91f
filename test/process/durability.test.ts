import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { DEMO_KEYS } from '../../src/domain/seed';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { startService } from './service-process';
import type { ServiceProcess } from './service-process';

const registry = buildRegistry();
const USER = `Bearer ${DEMO_KEYS.user}`;
/** Fixed, so short URLs in bodies are the same before and after a restart on another port. */
const ENV = {
  PUBLIC_BASE_URL: 'http://facet.test',
  RATE_LIMIT_WRITES_PER_KEY: '0',
  RATE_LIMIT_WRITES_PER_ADDRESS: '0',
  RATE_LIMIT_REDIRECTS_PER_ADDRESS: '0',
};

/** Runs `task(i)` for i < count with at most `width` at a time; resolves when all have settled. */
async function inParallel(width: number, count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** Ends a service however it stands and removes its data folder. */
function cleanUp(services: ServiceProcess[], dataDir: string): void {
  for (const s of services) s.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** The full card of a link: its status and validated body. */
async function card(service: ServiceProcess, code: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(service.baseUrl).get(`/api/links/${code}`).set('Accept', FULL);
  return { status: res.status, body: expectValidBody(registry, res, 'link') };
}

describe('durability of the real service', () => {
  it('keeps every link that got a 201, intact, through kill -9 in the middle of writing', async () => {
    const LINKS = 400;
    const KILL_AFTER = 250;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-durability-'));
    const services: ServiceProcess[] = [];
    try {
      const first = await startService(ENV, dataDir);
      services.push(first);
      const acknowledged = new Map<string, Record<string, unknown>>();
      let sent = 0;
      let unanswered = 0;
      let killed = false;
      await inParallel(8, LINKS, async (i) => {
        if (killed) return;
        if (acknowledged.size >= KILL_AFTER) {
          killed = true;
          first.child.kill('SIGKILL'); // the other workers' requests are in flight right now
          return;
        }
        sent += 1;
        const code = `durable-${i}`;
        let res: request.Response;
        try {
          res = await request(first.baseUrl).post('/api/links').set('Authorization', USER).set('Accept', FULL).set('Content-Type', 'application/json')
            .send(JSON.stringify({ url: `https://example.com/durable/${i}?q=${'x'.repeat(i % 50)}`, code, title: `Link ${i}`, tags: [`t${i % 7}`] }));
        } catch (err) {
          if (!killed) throw err;
          unanswered += 1; // the process died before answering: not acknowledged
          return;
        }
        expect(res.status).toBe(201);
        acknowledged.set(code, expectValidBody(registry, res, 'link'));
      });
      expect(killed).toBe(true);
      expect(await first.exited).toBeNull(); // killed by the signal, not exited

      const second = await startService(ENV, dataDir);
      services.push(second);
      let found = 0;
      for (const [code, body] of acknowledged) {
        const now = await card(second, code);
        expect({ code, status: now.status }).toEqual({ code, status: 200 });
        expect(now.body).toEqual(body);
        found += 1;
      }
      let inFlightStored = 0;
      for (let i = 0; i < LINKS; i += 1) {
        const code = `durable-${i}`;
        if (!acknowledged.has(code) && (await card(second, code)).status === 200) inFlightStored += 1;
      }
      process.stdout.write(`kill -9 durability: ${sent} creates sent, ${acknowledged.size} acknowledged with 201, ` +
        `${found} of them found intact after the restart; ${unanswered} unanswered at the kill (${inFlightStored} of those stored anyway)\n`);
      expect(found).toBe(acknowledged.size);
      expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    } finally {
      cleanUp(services, dataDir);
    }
  }, 90_000);

  it('counts every click sent before a SIGTERM once the service is back', async () => {
    const CODES = ['facet', 'rfc9110', 'bff', 'varnish'];
    const VISITS = 600;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-clicks-'));
    const services: ServiceProcess[] = [];
    try {
      // Only the shutdown (or a full batch) writes clicks: the interval never fires during the test.
      const first = await startService({ ...ENV, CLICK_FLUSH_MS: '60000' }, dataDir);
      services.push(first);
      const before = new Map<string, number>();
      for (const code of CODES) before.set(code, (await card(first, code)).body.clicks as number);
      let redirected = 0;
      await inParallel(8, VISITS, async (i) => {
        const res = await request(first.baseUrl).get(`/${CODES[i % CODES.length]!}`).set('User-Agent', i % 2 ? 'Mozilla/5.0 (iPhone)' : 'curl/8');
        expect(res.status).toBe(302);
        expectValidBody(registry, res);
        redirected += 1;
      });
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = await startService(ENV, dataDir);
      services.push(second);
      let counted = 0;
      for (const code of CODES) counted += ((await card(second, code)).body.clicks as number) - before.get(code)!;
      process.stdout.write(`SIGTERM durability: ${VISITS} visits sent, ${redirected} answered 302, ${counted} clicks counted after the restart\n`);
      expect(redirected).toBe(VISITS);
      expect(counted).toBe(VISITS);
    } finally {
      cleanUp(services, dataDir);
    }
  }, 60_000);

  describe('concurrent PATCHes with If-Match from many clients', () => {
    let service: ServiceProcess;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-patch-'));
      service = await startService(ENV, dataDir);
    });
    afterAll(() => { cleanUp([service], dataDir); });

    /** Creates a link titled "0" and returns its code. */
    async function counterLink(code: string): Promise<void> {
      const res = await request(service.baseUrl).post('/api/links').set('Authorization', USER).set('Accept', FULL).set('Content-Type', 'application/json')
        .send(JSON.stringify({ url: 'https://example.com/counter', code, title: '0' }));
      expect(res.status).toBe(201);
      expectValidBody(registry, res, 'link');
    }

    /** PATCHes the title as Ada under If-Match. */
    function patchTitle(code: string, title: string, etag: string) {
      return request(service.baseUrl).patch(`/api/links/${code}`).set('Authorization', USER).set('Accept', FULL).set('If-Match', etag)
        .set('Content-Type', 'application/merge-patch+json').send(JSON.stringify({ title }));
    }

    it('lets exactly one of the clients that read the same version win, and refuses the rest with 412', async () => {
      const CLIENTS = 12;
      const ROUNDS = 10;
      await counterLink('race');
      for (let round = 0; round < ROUNDS; round += 1) {
        const read = await request(service.baseUrl).get('/api/links/race').set('Accept', FULL);
        expectValidBody(registry, read, 'link');
        const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => patchTitle('race', `round ${round} client ${c}`, read.headers.etag as string)));
        const winners = answers.filter((res) => res.status === 200);
        for (const res of answers) {
          if (res.status === 200) expectValidBody(registry, res, 'link');
          else expectProblem(registry, res, 412, 'precondition-failed');
        }
        expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
        expect((await card(service, 'race')).body.title).toBe(expectValidBody(registry, winners[0]!, 'link').title);
      }
    }, 60_000);

    it('loses no update when every client retries read-modify-write after a 412', async () => {
      const CLIENTS = 8;
      const INCREMENTS = 12;
      await counterLink('tally');
      let won = 0;
      let refused = 0;
      const winningPreconditions = new Set<string>();
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        for (let done = 0; done < INCREMENTS;) {
          const read = await request(service.baseUrl).get('/api/links/tally').set('Accept', FULL);
          const n = Number(expectValidBody(registry, read, 'link').title);
          const res = await patchTitle('tally', String(n + 1), read.headers.etag as string);
          if (res.status === 200) {
            expectValidBody(registry, res, 'link');
            winningPreconditions.add(read.headers.etag as string);
            won += 1;
            done += 1;
          } else {
            expectProblem(registry, res, 412, 'precondition-failed');
            refused += 1;
          }
        }
      }));
      const final = Number((await card(service, 'tally')).body.title);
      process.stdout.write(`If-Match under contention: ${CLIENTS} clients x ${INCREMENTS} increments, ${won} PATCHes won, ${refused} refused with 412, final count ${final}\n`);
      expect(final).toBe(CLIENTS * INCREMENTS);
      expect(won).toBe(CLIENTS * INCREMENTS);
      expect(winningPreconditions.size).toBe(won); // no version was won twice
    }, 60_000);
  });
});
