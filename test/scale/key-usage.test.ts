import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FULL, PARTNER_V3, PARTNER_V4 } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { utcDay } from '../../src/domain/key-usage';
import { DEMO_KEYS } from '../../src/domain/seed';
import type { ServiceProcess } from '../process/service-process';
import { expectValidBody } from '../helpers/schema';
import { BASE_ENV, describeOnPostgres, eventually, keepAlive, send } from './helpers';

const registry = buildRegistry();
const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keys.js');
const NO_LIMITS = { RATE_LIMIT_WRITES_PER_KEY: '0', RATE_LIMIT_WRITES_PER_ADDRESS: '0', RATE_LIMIT_REDIRECTS_PER_ADDRESS: '0' };
/** Well under the minute an instance remembers a key: a pin seen sooner came through the change feed. */
const FEED_BOUND_MS = 5000;
const agent = keepAlive();

/** GET /api/me on `service` with `key` and `accept`: the representation answered, its body checked against its schema. */
async function meOn(service: ServiceProcess, key: string, accept = 'application/json'): Promise<string> {
  const res = await send(service.baseUrl, 'GET', '/api/me', { headers: { Authorization: `Bearer ${key}`, Accept: accept }, agent });
  expect(res.status).toBe(200);
  expectValidBody(registry, res, 'me');
  return res.headers['content-type'] as string;
}

describeOnPostgres('key pins and key usage on two instances sharing one PostgreSQL database', (ctx) => {
  let url: string;
  let a: ServiceProcess;
  let b: ServiceProcess;
  /** Runs `npm run keys -- …` on the shared database, as an operator would. */
  const keys = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...BASE_ENV, DATABASE_URL: url }, encoding: 'utf8' });

  beforeAll(async () => {
    url = await ctx.database();
    a = await ctx.start(url, NO_LIMITS);
    b = await ctx.start(url, NO_LIMITS);
  }, 60_000);

  it('moves a partner key\'s default on both instances when the CLI pins it, once the change feed delivers, and back', async () => {
    // Both remember the key (for a minute) with the default contract before the pin moves.
    for (const service of [a, b]) expect(await meOn(service, DEMO_KEYS.partner)).toBe(PARTNER_V3);
    const pinned = keys('pin', 'key_demo_partner', 'partner.v4');
    expect([pinned.status, pinned.stdout]).toEqual([0, 'key key_demo_partner pinned to partner.v4 (was the default, partner.v3)\n']);
    for (const service of [a, b]) {
      await eventually(async () => expect(await meOn(service, DEMO_KEYS.partner)).toBe(PARTNER_V4), { timeoutMs: FEED_BOUND_MS, intervalMs: 10 });
    }
    // A named type still wins over the pin (rule 4).
    expect(await meOn(a, DEMO_KEYS.partner, PARTNER_V3)).toBe(PARTNER_V3);
    expect(keys('pin', 'key_demo_partner', 'partner.v3').status).toBe(0);
    for (const service of [a, b]) {
      await eventually(async () => expect(await meOn(service, DEMO_KEYS.partner)).toBe(PARTNER_V3), { timeoutMs: FEED_BOUND_MS, intervalMs: 10 });
    }
  }, 60_000);

  it('counts one answer on each instance exactly once when both flush at shutdown: 2 for that key, representation and day', async () => {
    const created = keys('create', '--user', 'Probe', '--label', 'two instances');
    expect(created.status).toBe(0);
    const id = /key_[0-9a-f]+/.exec(created.stdout)![0];
    const secret = created.stdout.split('\n').find((l) => l.startsWith('fct_live_'))!.trim();
    const before = utcDay(Date.now());
    expect(await meOn(a, secret, FULL)).toBe(FULL);
    expect(await meOn(b, secret, FULL)).toBe(FULL);
    // SIGTERM: each drains and flushes what it noted (src/main.ts), then exits 0; no idle keep-alive socket holds the drain.
    agent.destroy();
    for (const service of [a, b]) service.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    const after = utcDay(Date.now());
    const rows = await ctx.query<{ day: string; representation: string; answers: number }>(url,
      'SELECT day, representation, answers::int AS answers FROM key_usage_daily WHERE key_id = $1 ORDER BY day', [id]);
    if (before === after) expect(rows).toEqual([{ day: before, representation: 'full', answers: 2 }]);
    else expect(rows.reduce((sum, r) => sum + r.answers, 0)).toBe(2); // the two answers fell either side of midnight UTC
    const report = JSON.parse(keys('usage', '--json').stdout) as { keys: { id: string; lastUsedAt: string | null; answers: Record<string, number> }[] };
    expect(report.keys.find((k) => k.id === id)).toMatchObject({ lastUsedAt: expect.any(String), answers: { full: 2 } });
  }, 60_000);
});
