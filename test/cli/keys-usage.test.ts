import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { createApp } from '../../src/app';
import { createClickRecorder } from '../../src/domain/clicks';
import { createKeyUsage } from '../../src/domain/key-usage';
import { createSqliteStore } from '../../src/store/create-store';

const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keys.js');
const registry = buildRegistry();
let dataDir: string;

beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-keys-usage-')); });
afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

/** Runs the built CLI as `npm run keys -- …` would, against the test's data folder. */
const keys = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });

function created(...args: string[]): { id: string; secret: string } {
  const out = keys('create', ...args).stdout;
  return { id: /key_[0-9a-f]+/.exec(out)![0], secret: out.split('\n').find((l) => l.startsWith('fct_live_'))!.trim() };
}

/** Answers GET /api/me for each [key, Accept] through an app that notes key usage, then flushes it as a shutdown does. */
async function served(requests: [string, string][]): Promise<void> {
  const store = createSqliteStore(dataDir);
  const clicks = createClickRecorder(store.clicks, { flushMs: 60_000, onError: () => undefined });
  const keyUsage = createKeyUsage(store.keys, { flushMs: 3_600_000, now: () => new Date(), log: (message) => { throw new Error(message); } });
  const app = createApp({
    config: { publicBaseUrl: 'http://localhost:3000', representationCacheBytes: 0, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000, signIn: { passwordScryptLogN: 10 } },
    store, registry, clicks, keyUsage,
  });
  try {
    for (const [key, accept] of requests) expect((await request(app).get('/api/me').set('Authorization', `Bearer ${key}`).set('Accept', accept)).status).toBe(200);
  } finally {
    await keyUsage.close();
    await clicks.close();
    await store.close();
  }
}

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;

describe('npm run keys -- usage', () => {
  it('prints one aligned row per key and representation over the window, with each key\'s last use, never for a key unused', async () => {
    const partner = created('--user', 'Acme', '--partner', '--label', 'acme ci');
    const user = created('--user', 'Ada');
    const idle = created('--user', 'Ada', '--label', 'spare');
    keys('pin', partner.id, 'partner.v4');
    await served([[partner.secret, '*/*'], [partner.secret, 'application/json'], [partner.secret, FULL], [user.secret, FULL], [user.secret, FULL]]);
    const res = keys('usage');
    expect(res.status).toBe(0);
    const [title, header, ...rows] = res.stdout.trimEnd().split('\n');
    expect(title).toMatch(/^answers per key and representation, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC, 30 days\)$/);
    expect(header).toMatch(/^key +kind +user +pin +representation +answers +last used$/);
    const cells = rows.map((r) => r.split(/ {2,}/));
    expect(cells.map((c) => c.slice(0, 6))).toEqual([
      [partner.id, 'partner', 'Acme', 'partner.v4', 'full', '1'],
      [partner.id, 'partner', 'Acme', 'partner.v4', 'partner.v4', '2'],
      [user.id, 'user', 'Ada', '-', 'full', '2'],
      [idle.id, 'user', 'Ada', '-', '-', '0'],
    ]);
    expect(cells.map((c) => c[6])).toEqual([expect.stringMatching(ISO), expect.stringMatching(ISO), expect.stringMatching(ISO), 'never']);
    // Aligned: every column starts where its header does; counts end where theirs does.
    const starts = (line: string) => [...line.matchAll(/(?:^| {2})(\S)/g)].map((m) => m.index! + (m.index === 0 ? 0 : 2));
    const answersEnd = header!.indexOf('answers') + 'answers'.length;
    for (const row of rows) {
      expect(starts(row).filter((_s, i) => i !== 5)).toEqual(starts(header!).filter((_s, i) => i !== 5));
      expect(row.slice(0, answersEnd)).toMatch(/\d$/);
    }
  });

  it('answers the same as JSON with --json', async () => {
    const partner = created('--user', 'Acme', '--partner');
    await served([[partner.secret, '*/*']]);
    const res = keys('usage', '--json', '--days', '7');
    expect(res.status).toBe(0);
    const report = JSON.parse(res.stdout) as { from: string; to: string; keys: { id: string; pin: string | null; lastUsedAt: string | null; answers: Record<string, number> }[] };
    expect(Date.parse(report.to) - Date.parse(report.from)).toBe(6 * 86_400_000);
    expect(report.keys).toEqual([expect.objectContaining({ id: partner.id, pin: null, lastUsedAt: expect.stringMatching(ISO), answers: { 'partner.v3': 1 } })]);
  });

  it('refuses a --days that is no whole number from 1 to 90 with the usage and exit code 2', () => {
    for (const days of ['0', '91', '1.5', 'week']) {
      const res = keys('usage', '--days', days);
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('--days must be a whole number from 1 to 90');
    }
  });
});
