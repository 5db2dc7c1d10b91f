import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { createApp } from '../../src/app';
import { createClickRecorder } from '../../src/domain/clicks';
import { checksumHolds } from '../../src/domain/secrets';
import { createSqliteStore } from '../../src/store/create-store';
import { expectProblem, expectValidBody } from '../helpers/schema';

const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keys.js');
const registry = buildRegistry();
let dataDir: string;

beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-keys-rotate-')); });
afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

/** Runs the built CLI as `npm run keys -- …` would, against the test's data folder. */
const keys = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });

/** The secret a create or rotate printed: the line that is a fct_live_ key. */
const secretIn = (stdout: string) => stdout.split('\n').find((line) => line.startsWith('fct_live_'))?.trim() ?? '';

/** The id of the only key `list` shows. */
const onlyKeyId = () => /key_[0-9a-f]+/.exec(keys('list').stdout)![0];

/**
 * Sends `build(request(app))` through a fresh app on the test's database (no key cache carried
 * over), whose clock reads `now` (the real time by default).
 */
async function onApp(build: (agent: ReturnType<typeof request>) => request.Test, now?: Date) {
  const store = createSqliteStore(dataDir);
  const clicks = createClickRecorder(store.clicks, { flushMs: 60_000, onError: () => undefined });
  const app = createApp({
    config: { publicBaseUrl: 'http://localhost:3000', representationCacheBytes: 0, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000, signIn: { passwordScryptLogN: 10 } },
    store, registry, clicks,
    now: now ? () => now : undefined,
  });
  try {
    return await build(request(app));
  } finally {
    await clicks.close();
    await store.close();
  }
}

/** GET /api/me with `key`. */
const me = (key: string, now?: Date) => onApp((agent) => agent.get('/api/me').set('Authorization', `Bearer ${key}`).set('Accept', FULL), now);

async function expectWorks(key: string, now?: Date): Promise<void> {
  const res = await me(key, now);
  expect(res.status).toBe(200);
  expectValidBody(registry, res, 'me');
}

describe('npm run keys -- create --scope', () => {
  it('prints a checksummed fct_live_ key limited to its scopes, and lists them', async () => {
    const created = keys('create', '--user', 'Linus', '--scope', 'links:read', '--scope', 'stats:read');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('with scopes links:read, stats:read');
    const secret = secretIn(created.stdout);
    expect(secret).toMatch(/^fct_live_[0-9A-Za-z]{49}$/);
    expect(checksumHolds(secret)).toBe(true);
    await expectWorks(secret);
    const write = await onApp((agent) => agent.post('/api/links').set('Authorization', `Bearer ${secret}`).set('Accept', FULL)
      .set('Content-Type', 'application/json').send(JSON.stringify({ url: 'https://example.com/cli' })));
    expect(expectProblem(registry, write, 403, 'insufficient-scope').detail).toContain('links:write');
    const listed = keys('list').stdout;
    expect(listed).toContain('links:read,stats:read');
    expect(listed).not.toContain(secret);
  });

  it('exits 2 naming an unknown scope, and creates no key', () => {
    const res = keys('create', '--user', 'Linus', '--scope', 'links:admin');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('unknown scope links:admin');
    expect(res.stderr).toContain('usage: npm run keys');
    expect(res.stdout).not.toContain('fct_live_');
    expect(keys('list').stdout).not.toMatch(/key_[0-9a-f]+/);
  });
});

describe('npm run keys -- rotate', () => {
  it('prints a new key and when the old one stops; both work until the overlap ends, then only the new one', async () => {
    const old = secretIn(keys('create', '--user', 'Linus').stdout);
    const id = onlyKeyId();
    const rotated = keys('rotate', id, '--overlap', '3600');
    expect(rotated.status).toBe(0);
    const fresh = secretIn(rotated.stdout);
    expect(fresh).toMatch(/^fct_live_/);
    expect(fresh).not.toBe(old);
    const until = new RegExp(`${id} keeps working until (\\S+Z)`).exec(rotated.stdout);
    expect(until).not.toBeNull();
    const end = new Date(until![1]!);
    expect(end.getTime() - Date.now()).toBeGreaterThan(3500 * 1000);
    expect(end.getTime() - Date.now()).toBeLessThanOrEqual(3600 * 1000);

    await expectWorks(old);
    await expectWorks(fresh);
    await expectWorks(old, new Date(end.getTime() - 1000));
    const after = new Date(end.getTime() + 1000);
    expectProblem(registry, await me(old, after), 401, 'invalid-key');
    await expectWorks(fresh, after);
  });

  it('keeps the old key a day by default', () => {
    keys('create', '--user', 'Linus');
    const id = onlyKeyId();
    const rotated = keys('rotate', id);
    expect(rotated.status).toBe(0);
    const end = new Date(new RegExp(`${id} keeps working until (\\S+Z)`).exec(rotated.stdout)![1]!);
    expect(Math.round((end.getTime() - Date.now()) / 3_600_000)).toBe(24);
  });

  it('with --overlap 0 refuses the old key at once', async () => {
    const old = secretIn(keys('create', '--user', 'Linus').stdout);
    const rotated = keys('rotate', onlyKeyId(), '--overlap', '0');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toContain('keeps working until');
    expectProblem(registry, await me(old), 401, 'invalid-key');
    await expectWorks(secretIn(rotated.stdout));
  });

  it('gives the new key the old one\'s user, kind and scopes', async () => {
    keys('create', '--user', 'Acme', '--partner', '--scope', 'links:read');
    const rotated = keys('rotate', onlyKeyId());
    const fresh = secretIn(rotated.stdout);
    const res = await onApp((agent) => agent.get('/api/me').set('Authorization', `Bearer ${fresh}`).set('Accept', FULL));
    expect(expectValidBody(registry, res, 'me')).toMatchObject({ name: 'Acme', keyKind: 'partner' });
    const write = await onApp((agent) => agent.post('/api/links').set('Authorization', `Bearer ${fresh}`).set('Accept', FULL)
      .set('Content-Type', 'application/json').send(JSON.stringify({ url: 'https://example.com/cli' })));
    expectProblem(registry, write, 403, 'insufficient-scope');
    expect(keys('list').stdout).toMatch(/links:read[\s\S]*links:read/);
  });

  it('exits 1 for a key that is not active, and 2 for a bad overlap', () => {
    expect(keys('rotate', 'key_000000000000').status).toBe(1);
    keys('create', '--user', 'Linus');
    const id = onlyKeyId();
    const bad = keys('rotate', id, '--overlap', 'soon');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--overlap');
    expect(keys('list').stdout.split('\n').filter((line) => line.startsWith('key_'))).toHaveLength(1);
  });
});
