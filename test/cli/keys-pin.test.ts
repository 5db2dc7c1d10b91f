import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { PARTNER_V3, PARTNER_V4 } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { createApp } from '../../src/app';
import { createClickRecorder } from '../../src/domain/clicks';
import { createSqliteStore } from '../../src/store/create-store';
import { expectValidBody } from '../helpers/schema';

const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keys.js');
const registry = buildRegistry();
let dataDir: string;

beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-keys-pin-')); });
afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

/** Runs the built CLI as `npm run keys -- …` would, against the test's data folder. */
const keys = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });

/** Creates a key and answers its id and secret. */
function created(...args: string[]): { id: string; secret: string } {
  const out = keys('create', ...args).stdout;
  return { id: /key_[0-9a-f]+/.exec(out)![0], secret: out.split('\n').find((l) => l.startsWith('fct_live_'))!.trim() };
}

/** GET /api/me with `key` and a generic Accept, through a fresh app on the test's database (no key cache carried over). */
async function me(key: string) {
  const store = createSqliteStore(dataDir);
  const clicks = createClickRecorder(store.clicks, { flushMs: 60_000, onError: () => undefined });
  const app = createApp({
    config: { publicBaseUrl: 'http://localhost:3000', representationCacheBytes: 0, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000, signIn: { passwordScryptLogN: 10 } },
    store, registry, clicks,
  });
  try {
    return await request(app).get('/api/me').set('Authorization', `Bearer ${key}`).set('Accept', 'application/json');
  } finally {
    await clicks.close();
    await store.close();
  }
}

/** The representation a generic Accept got, the body checked against its schema. */
async function defaultOf(key: string): Promise<string> {
  const res = await me(key);
  expect(res.status).toBe(200);
  expectValidBody(registry, res, 'me');
  return res.headers['content-type'] as string;
}

const pinColumn = (id: string) => keys('list').stdout.split('\n').find((l) => l.startsWith(id))!.split('\t')[6];

describe('npm run keys -- pin', () => {
  it('pins a partner key to partner.v4, back to partner.v3, then to the default, saying each time what changed', async () => {
    const { id, secret } = created('--user', 'Acme', '--partner');
    expect(await defaultOf(secret)).toBe(PARTNER_V3);
    const toV4 = keys('pin', id, 'partner.v4');
    expect([toV4.status, toV4.stdout, toV4.stderr]).toEqual([0, `key ${id} pinned to partner.v4 (was the default, partner.v3)\n`, '']);
    expect(pinColumn(id)).toBe('partner.v4');
    // Passes once /api/me offers partner.v4 (representations/me/).
    expect(await defaultOf(secret)).toBe(PARTNER_V4);
    const back = keys('pin', id, 'partner.v3');
    expect([back.status, back.stdout]).toEqual([0, `key ${id} pinned to partner.v3 (was partner.v4)\n`]);
    expect(await defaultOf(secret)).toBe(PARTNER_V3);
    const cleared = keys('pin', id, 'default');
    expect([cleared.status, cleared.stdout]).toEqual([0, `key ${id} pinned to the default, partner.v3 (was partner.v3)\n`]);
    expect(pinColumn(id)).toBe('-');
  });

  it('clears a pin with --clear too', () => {
    const { id } = created('--user', 'Acme', '--partner');
    keys('pin', id, 'partner.v4');
    const cleared = keys('pin', id, '--clear');
    expect([cleared.status, cleared.stdout]).toEqual([0, `key ${id} pinned to the default, partner.v3 (was partner.v4)\n`]);
    expect(pinColumn(id)).toBe('-');
  });

  it('refuses, in one line and with exit code 1, an unknown name, a contract that is not frozen, a user key and an unknown or revoked key', () => {
    const partner = created('--user', 'Acme', '--partner');
    const user = created('--user', 'Ada');
    const revoked = created('--user', 'Acme', '--partner');
    keys('revoke', revoked.id);
    const cases: [string[], RegExp][] = [
      [[partner.id, 'partner.v9'], /^keys: unknown representation partner\.v9 \(representations: summary, full, partner\.v3, partner\.v4\)\n$/],
      [[partner.id, 'full'], /^keys: full is not a frozen contract; a key may be pinned to partner\.v3, partner\.v4, or default\n$/],
      [[user.id, 'partner.v4'], new RegExp(`^keys: ${user.id} is a user key; only partner keys are pinned\\n$`)],
      [['key_000000000000', 'partner.v4'], /^keys: no active key key_000000000000\n$/],
      [[revoked.id, 'partner.v4'], new RegExp(`^keys: no active key ${revoked.id}\\n$`)],
    ];
    for (const [args, message] of cases) {
      const res = keys('pin', ...args);
      expect([res.status, res.stdout]).toEqual([1, '']);
      expect(res.stderr).toMatch(message);
    }
    expect([pinColumn(partner.id), pinColumn(user.id)]).toEqual(['-', '-']);
  });

  it('prints the usage and exits 2 without a key id or a contract', () => {
    for (const args of [[], ['key_1'], ['key_1', 'partner.v4', 'extra']]) {
      const res = keys('pin', ...args);
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('npm run keys -- pin <key id> partner.v3|partner.v4|default');
    }
  });

  it('keeps the pin when the key is rotated', async () => {
    const { id } = created('--user', 'Acme', '--partner');
    keys('pin', id, 'partner.v4');
    const rotated = keys('rotate', id);
    const secret = rotated.stdout.split('\n').find((l) => l.startsWith('fct_live_'))!.trim();
    const successor = /created partner key (key_[0-9a-f]+)/.exec(rotated.stdout)![1]!;
    expect(pinColumn(successor)).toBe('partner.v4');
    expect(await defaultOf(secret)).toBe(PARTNER_V4);
  });
});
