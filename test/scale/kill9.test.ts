import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { DEMO_KEYS } from '../../src/domain/seed';
import type { ServiceProcess } from '../process/service-process';
import { expectValidBody } from '../helpers/schema';
import { childPids, describeOnPostgres, eventually, inParallel, occurrences, report, send } from './helpers';

const registry = buildRegistry();
const NO_LIMITS = { RATE_LIMIT_WRITES_PER_KEY: '0', RATE_LIMIT_WRITES_PER_ADDRESS: '0', RATE_LIMIT_REDIRECTS_PER_ADDRESS: '0' };

/** Reads a card of `service` on fresh connections, `width` at a time, until stopped; tallies what came back and how fast failures were. */
function keepReading(service: ServiceProcess, width = 2) {
  const tally = { ok: 0, failed: [] as string[] };
  let reading = true;
  const loops = Array.from({ length: width }, async () => {
    while (reading) {
      const started = performance.now();
      try {
        const res = await send(service.baseUrl, 'GET', '/api/links/facet', { headers: { Accept: FULL }, agent: false });
        expectValidBody(registry, res, 'link');
        if (res.status === 200) tally.ok += 1;
        else tally.failed.push(`${res.status} after ${Math.round(performance.now() - started)} ms`);
      } catch (err) {
        tally.failed.push(`${(err as Error).message} after ${Math.round(performance.now() - started)} ms`);
      }
    }
  });
  return {
    tally,
    async stop() {
      reading = false;
      await Promise.all(loops);
      return tally;
    },
  };
}

function create(service: ServiceProcess, code: string) {
  return send(service.baseUrl, 'POST', '/api/links', {
    agent: false,
    headers: { Authorization: `Bearer ${DEMO_KEYS.user}`, Accept: FULL, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `https://example.com/acked/${code}`, code, title: `acknowledged ${code}`, tags: ['kill9'] }),
  });
}

describeOnPostgres('kill -9 of one Facet process among several', (ctx) => {
  let url: string;
  const readers: { stop: () => Promise<unknown> }[] = [];
  beforeAll(async () => {
    url = await ctx.database();
  }, 60_000);
  // A failed test must not leave its reader looping.
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.stop()));
  });

  it('loses no write that B acknowledged, and A keeps serving throughout', async () => {
    const LINKS = 150;
    const KILL_AFTER = 60;
    const a = await ctx.start(url, NO_LIMITS);
    const b = await ctx.start(url, NO_LIMITS);
    const reader = keepReading(a);
    readers.push(reader);
    const acknowledged = new Map<string, Record<string, unknown>>();
    let unanswered = 0;
    let killed = false;
    await inParallel(6, LINKS, async (i) => {
      if (killed) return;
      if (acknowledged.size >= KILL_AFTER) {
        killed = true;
        b.child.kill('SIGKILL'); // the other clients' creates are in flight right now
        return;
      }
      const code = `acked-${i}`;
      let res;
      try {
        res = await create(b, code);
      } catch (err) {
        if (!killed) throw err;
        unanswered += 1; // B died before answering: not acknowledged
        return;
      }
      expect(res.status).toBe(201);
      acknowledged.set(code, expectValidBody(registry, res, 'link'));
    });
    expect(killed).toBe(true);
    expect(await b.exited).toBeNull();

    for (const [code, body] of acknowledged) {
      const res = await send(a.baseUrl, 'GET', `/api/links/${code}`, { headers: { Accept: FULL } });
      expect({ code, status: res.status }).toEqual({ code, status: 200 });
      expect(expectValidBody(registry, res, 'link')).toEqual(body);
    }
    const stored = await ctx.query<{ code: string }>(url, 'SELECT code FROM links WHERE code = ANY($1)', [[...acknowledged.keys()]]);
    const after = await create(a, 'after-the-kill');
    expect(after.status).toBe(201);
    expectValidBody(registry, after, 'link');
    const tally = await reader.stop();
    report(`kill -9 of B: ${acknowledged.size} creates acknowledged, ${stored.length} found in PostgreSQL and all readable via A; ` +
      `${unanswered} unanswered at the kill; A answered ${tally.ok} reads meanwhile, ${tally.failed.length} failed`);
    expect(stored.length).toBe(acknowledged.size);
    expect(tally.failed).toEqual([]);
    expect(tally.ok).toBeGreaterThan(0);
  }, 90_000);

  it('with WORKERS=2, keeps the port answering when a worker is killed, and the supervisor starts another', async () => {
    const service = await ctx.start(url, { ...NO_LIMITS, WORKERS: '2' });
    const primary = service.child.pid!;
    await eventually(() => expect(occurrences(service.output(), 'facet listening')).toBe(2), { timeoutMs: 20_000, intervalMs: 50 });
    const workers = await childPids(primary);
    expect(workers).toHaveLength(2);
    const [victim, survivor] = workers as [number, number];

    const reader = keepReading(service);
    readers.push(reader);
    await eventually(() => expect(reader.tally.ok).toBeGreaterThanOrEqual(5), { timeoutMs: 10_000, intervalMs: 10 });
    const killedAt = performance.now();
    process.kill(victim, 'SIGKILL');
    const replacement = await eventually(async () => {
      const now = await childPids(primary);
      expect(now).toHaveLength(2);
      expect(now).not.toContain(victim);
      expect(occurrences(service.output(), 'facet listening')).toBe(3);
      return now.find((pid) => pid !== survivor);
    }, { timeoutMs: 20_000, intervalMs: 50 });
    const replacedMs = performance.now() - killedAt;
    const okBefore = reader.tally.ok;
    try {
      await eventually(() => expect(reader.tally.ok).toBeGreaterThanOrEqual(okBefore + 10), { timeoutMs: 20_000, intervalMs: 10 });
    } finally {
      const tally = await reader.stop();
      report(`WORKERS=2, kill -9 of worker ${victim}: replacement ${replacement} listening ${Math.round(replacedMs)} ms later; ` +
        `${tally.ok} reads answered, ${tally.failed.length} failed (${tally.failed.join('; ') || 'none'}), ${Math.round(performance.now() - killedAt)} ms after the kill`);
    }
    const tally = reader.tally;
    expect(service.output()).toContain(`worker ${victim} exited`);
    expect(service.child.exitCode).toBeNull();
    // Only requests the killed worker had already taken may fail, and they fail at once (a reset), never hang.
    expect(tally.failed.length).toBeLessThanOrEqual(2);
    expect(tally.failed.filter((f) => / after (\d{4,}) ms$/.test(f))).toEqual([]);
  }, 90_000);
});
