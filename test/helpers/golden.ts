import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { FacetApp } from '../../src/app';
import { buildRegistry } from '../../representations/registry';
import type { ResourceName } from '../../representations/registry';
import { createApp } from '../../src/app';
import { createClickRecorder } from '../../src/domain/clicks';
import type { Store } from '../../src/domain/repository';
import { createSqliteStore } from '../../src/store/create-store';
import { expectValidBody } from './schema';

/** An app the goldens are answered by. */
export interface FixtureApp {
  app: FacetApp;
  close(): Promise<void>;
}

/** A real app over a fresh SQLite file holding only what `seed` writes, on a fixed clock: goldens never depend on the demo seed. */
export async function createFixedApp(seed: (store: Store) => Promise<void>, now: Date): Promise<FixtureApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-golden-'));
  const store = createSqliteStore(dataDir);
  await seed(store);
  const clicks = createClickRecorder(store.clicks, { flushMs: 60_000, onError: () => undefined });
  const app = createApp({
    config: { publicBaseUrl: 'http://localhost:3000', representationCacheBytes: 0, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000 },
    store, registry: buildRegistry(), clicks, now: () => now, log: () => undefined,
  });
  return {
    app,
    async close() {
      await clicks.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One frozen response: its golden file's name, the URL asked and the resource its body is. */
export type GoldenCase = [name: string, path: string, resource: ResourceName];

/**
 * A frozen contract's goldens: each case, asked for as `type` with `key`, answers byte for byte
 * (Content-Type included) as `<dir>/<name>.http`. Goldens are written once, on purpose, by a
 * person: UPDATE_GOLDEN=1 writes a missing one, and never in CI.
 */
export function describeGoldens(title: string, options: { type: string; key: string; dir: string; cases: GoldenCase[]; fixture: () => Promise<FixtureApp> }): void {
  const registry = buildRegistry();
  describe(title, () => {
    let fixture: FixtureApp;
    beforeAll(async () => { fixture = await options.fixture(); });
    afterAll(async () => { await fixture.close(); });

    it.each(options.cases)('answers %s (%s) byte for byte as its golden file, Content-Type included', async (name, url, resource) => {
      const res = await request(fixture.app).get(url).set('Authorization', `Bearer ${options.key}`).set('Accept', options.type);
      expect(res.status).toBe(200);
      expectValidBody(registry, res, resource);
      const actual = `Content-Type: ${res.headers['content-type']}\n\n${res.text}\n`;
      const file = path.join(options.dir, `${name}.http`);
      if (!fs.existsSync(file) && process.env.UPDATE_GOLDEN === '1' && process.env.CI !== 'true') fs.writeFileSync(file, actual);
      expect(fs.existsSync(file)).toBe(true);
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    });
  });
}
