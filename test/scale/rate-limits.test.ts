import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { DEMO_KEYS } from '../../src/domain/seed';
import type { ServiceProcess } from '../process/service-process';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { describeOnPostgres, eventually, inParallel, keepAlive, report, send } from './helpers';

const registry = buildRegistry();
const REDIRECT_QUOTA = 50;
const WRITE_QUOTA = 20;
const READ_QUOTA = 40;
/**
 * What two instances together may admit past one quota: 10 % of it (at least 2), for counts still
 * in flight between instances. docs/design.md: "N instances never mean N quotas".
 */
const allowedOvershoot = (quota: number) => Math.max(2, Math.ceil(quota * 0.1));
const ENV = {
  RATE_LIMIT_REDIRECTS_PER_ADDRESS: String(REDIRECT_QUOTA),
  RATE_LIMIT_WRITES_PER_KEY: String(WRITE_QUOTA),
  RATE_LIMIT_WRITES_PER_ADDRESS: '0',
  RATE_LIMIT_READS_PER_CREDENTIAL: String(READ_QUOTA),
  RATE_LIMIT_READS_PER_ADDRESS: '0',
  // An hour, so that no window boundary falls inside the test and hands out a second quota.
  RATE_LIMIT_WINDOW_SECONDS: '3600',
  RATE_LIMIT_READ_WINDOW_SECONDS: '3600',
};
const agent = keepAlive();

/** Sends `count` requests, 4 at a time, alternating between the instances; tallies the statuses per instance. */
async function alternate(pair: ServiceProcess[], count: number, request: (service: ServiceProcess, i: number) => Promise<number>) {
  const admitted = [0, 0];
  let refused = 0;
  await inParallel(4, count, async (i) => {
    const status = await request(pair[i % 2]!, i);
    if (status === 429) refused += 1;
    else admitted[i % 2]! += 1;
  });
  return { admitted: admitted[0]! + admitted[1]!, viaA: admitted[0]!, viaB: admitted[1]!, refused };
}

describeOnPostgres('rate limits shared by two instances', (ctx) => {
  let pair: ServiceProcess[];
  let url: string;
  beforeAll(async () => {
    url = await ctx.database();
    pair = [await ctx.start(url, ENV), await ctx.start(url, ENV)];
  }, 60_000);

  it(`admit one redirect quota (${REDIRECT_QUOTA}) per address across both, give or take a small overshoot`, async () => {
    const VISITS = 200;
    const tally = await alternate(pair, VISITS, async (service) => {
      const res = await send(service.baseUrl, 'GET', '/facet', { agent });
      if (res.status === 429) {
        expectProblem(registry, res, 429, 'rate-limited');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      } else {
        expect(res.status).toBe(302);
        expectValidBody(registry, res);
      }
      return res.status;
    });
    report(`rate limit across two instances, redirects: quota ${REDIRECT_QUOTA}, ${VISITS} visits alternating, ${tally.admitted} admitted ` +
      `(${tally.viaA} via A, ${tally.viaB} via B), ${tally.refused} refused with 429; overshoot ${tally.admitted - REDIRECT_QUOTA}`);
    expect(tally.admitted).toBeGreaterThanOrEqual(REDIRECT_QUOTA);
    expect(tally.admitted).toBeLessThanOrEqual(REDIRECT_QUOTA + allowedOvershoot(REDIRECT_QUOTA));
  }, 60_000);

  it(`admit one write quota (${WRITE_QUOTA}) per key across both, give or take a small overshoot`, async () => {
    const WRITES = 80;
    const tally = await alternate(pair, WRITES, async (service, i) => {
      const res = await send(service.baseUrl, 'POST', '/api/links', {
        agent,
        headers: { Authorization: `Bearer ${DEMO_KEYS.user}`, Accept: FULL, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: `https://example.com/limited/${i}`, code: `limited-${i}` }),
      });
      if (res.status === 429) {
        expectProblem(registry, res, 429, 'rate-limited');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      } else {
        expect(res.status).toBe(201);
        expectValidBody(registry, res, 'link');
      }
      return res.status;
    });
    report(`rate limit across two instances, writes per key: quota ${WRITE_QUOTA}, ${WRITES} creates alternating, ${tally.admitted} admitted ` +
      `(${tally.viaA} via A, ${tally.viaB} via B), ${tally.refused} refused with 429; overshoot ${tally.admitted - WRITE_QUOTA}`);
    expect(tally.admitted).toBeGreaterThanOrEqual(WRITE_QUOTA);
    expect(tally.admitted).toBeLessThanOrEqual(WRITE_QUOTA + allowedOvershoot(WRITE_QUOTA));
  }, 60_000);

  it(`admit one read quota (${READ_QUOTA}) per credential across both, give or take a small overshoot`, async () => {
    const READS = 160;
    const tally = await alternate(pair, READS, async (service) => {
      const res = await send(service.baseUrl, 'GET', '/api/links/facet', { agent, headers: { Authorization: `Bearer ${DEMO_KEYS.user}`, Accept: FULL } });
      expect(res.headers['ratelimit-policy']).toBe(`"read";q=${READ_QUOTA};w=3600`);
      if (res.status === 429) {
        expectProblem(registry, res, 429, 'rate-limited');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.headers.ratelimit).toMatch(/^"read";r=0;t=\d+$/);
      } else {
        expect(res.status).toBe(200);
        expectValidBody(registry, res, 'link');
      }
      return res.status;
    });
    report(`rate limit across two instances, reads per credential: quota ${READ_QUOTA}, ${READS} reads alternating, ${tally.admitted} admitted ` +
      `(${tally.viaA} via A, ${tally.viaB} via B), ${tally.refused} refused with 429; overshoot ${tally.admitted - READ_QUOTA}`);
    expect(tally.viaA).toBeGreaterThan(0);
    expect(tally.viaB).toBeGreaterThan(0);
    expect(tally.admitted).toBeGreaterThanOrEqual(READ_QUOTA);
    expect(tally.admitted).toBeLessThanOrEqual(READ_QUOTA + allowedOvershoot(READ_QUOTA));
  }, 60_000);

  it('refuses on B a client that has used up its redirect quota on A, once A has shared its count', async () => {
    // Another loopback address: a partition of its own, untouched by the tests above.
    const client = '127.0.0.2';
    const visit = async (service: ServiceProcess) => {
      const res = await send(service.baseUrl, 'GET', '/facet', { localAddress: client });
      expectValidBody(registry, res);
      expect([302, 429]).toContain(res.status);
      return res.status;
    };
    const [a, b] = pair as [ServiceProcess, ServiceProcess];
    let onA = 0;
    await inParallel(4, REDIRECT_QUOTA + 10, async () => { if (await visit(a) === 302) onA += 1; });
    expect(onA).toBe(REDIRECT_QUOTA);
    await eventually(async () => {
      const rows = await ctx.query<{ used: string }>(url, "SELECT used FROM rate_limit_windows WHERE policy = 'redirects-per-address' AND partition = $1", [client]);
      expect(Number(rows[0]?.used ?? 0)).toBeGreaterThanOrEqual(REDIRECT_QUOTA);
    }, { timeoutMs: 5000, intervalMs: 20 });
    let onB = 0;
    await inParallel(8, REDIRECT_QUOTA, async () => { if (await visit(b) === 302) onB += 1; });
    report(`rate limit across two instances, quota used up on A then a burst of ${REDIRECT_QUOTA} visits on B: ${onB} admitted by B`);
    expect(onB).toBeLessThanOrEqual(allowedOvershoot(REDIRECT_QUOTA));
  }, 60_000);
});
