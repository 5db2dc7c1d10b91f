import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import packageJson from '../../package.json';
import { buildRegistry } from '../../representations/registry';
import { createApp } from '../../src/app';
import { createClickRecorder } from '../../src/domain/clicks';
import { createSqliteStore } from '../../src/store/create-store';
import { expectProblem, expectValidBody } from '../helpers/schema';

const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keys.js');
const registry = buildRegistry();
let dataDir: string;

beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-keys-')); });
afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

/** Runs the built CLI as `npm run keys -- …` would, against the test's data folder. */
const keys = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });

/** GET /api/me with `key` through a fresh app on the same database (no key cache carried over). */
async function me(key: string) {
  const store = createSqliteStore(dataDir);
  const clicks = createClickRecorder(store.clicks, { flushMs: 60_000, onError: () => undefined });
  const app = createApp({
    config: { publicBaseUrl: 'http://localhost:3000', representationCacheBytes: 0, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000 },
    store, registry, clicks,
  });
  try {
    return await request(app).get('/api/me').set('Authorization', `Bearer ${key}`).set('Accept', 'application/vnd.example.full+json');
  } finally {
    await clicks.close();
    await store.close();
  }
}

describe('npm run keys', () => {
  it('creates a user key that works at once, and shows it only in the create output', async () => {
    const created = keys('create', '--user', 'Linus', '--label', 'laptop');
    expect(created.status).toBe(0);
    const secret = created.stdout.trim().split('\n').at(-1)!;
    // GitHub-style: a recognisable prefix, 32 random bytes in base62, a CRC32 checksum (base62, 6 characters).
    expect(secret).toMatch(/^fct_live_[A-Za-z0-9]{49}$/);
    const res = await me(secret);
    expect(res.status).toBe(200);
    expect(expectValidBody(registry, res, 'me')).toMatchObject({ name: 'Linus', keyKind: 'user' });
    const listed = keys('list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('laptop');
    expect(listed.stdout).not.toContain(secret);
    expect(fs.readFileSync(path.join(dataDir, 'facet.db')).includes(Buffer.from(secret))).toBe(false);
  });

  it('creates a partner key for an existing user found by name', async () => {
    keys('create', '--user', 'Acme');
    const partner = keys('create', '--user', 'Acme', '--partner');
    expect(partner.stdout).not.toContain('created user');
    const secret = partner.stdout.trim().split('\n').at(-1)!;
    expect(expectValidBody(registry, await me(secret), 'me')).toMatchObject({ keyKind: 'partner' });
  });

  it('revokes a key so that it answers 401', async () => {
    const secret = keys('create', '--user', 'Temp').stdout.trim().split('\n').at(-1)!;
    const id = /key_[0-9a-f]+/.exec(keys('list').stdout)![0];
    expect(keys('revoke', id).status).toBe(0);
    expectProblem(registry, await me(secret), 401, 'invalid-key');
    expect(keys('revoke', id).status).toBe(1);
  });

  it('prints the usage and exits 2 on a command it does not know', () => {
    const res = keys('frobnicate');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('usage: npm run keys');
  });

  it('is the program `npm run keys` runs', () => {
    expect(packageJson.scripts.keys).toContain('dist/src/cli/keys.js');
  });
});
