import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FacetApp } from '../../src/app';
import { buildRegistry } from '../../representations/registry';
import type { Registry } from '../../representations/registry';
import { createApp } from '../../src/app';
import type { AppDeps, Services } from '../../src/app';
import { DEFAULT_RATE_LIMITS } from '../../src/config';
import { createClickRecorder } from '../../src/domain/clicks';
import type { ClickRecorder } from '../../src/domain/clicks';
import { hashKey } from '../../src/domain/keys';
import { createPasswordHasher } from '../../src/domain/passwords';
import type { RateLimitOptions } from '../../src/http/guards/rate-limit';
import type { Metrics } from '../../src/observability/metrics';
import { DEMO_KEYS, seedDemoData } from '../../src/domain/seed';
import type { Store } from '../../src/domain/repository';
import { createSqliteStore } from '../../src/store/create-store';

/** The fixed clock of the test fixture. */
export const FIXED_NOW = new Date('2026-11-20T12:00:00.000Z');

export const BASE_URL = 'http://localhost:3000';

/** Keys of the fixture: the demo user (Ada), the demo partner (Acme) and a second user (Grace). */
export const KEYS = { user: DEMO_KEYS.user, partner: DEMO_KEYS.partner, other: 'test_other_user_key' } as const;

/** scrypt at 2^10 rather than OWASP's 2^17: the same code, a thousandth of the work (test/domain/passwords.test.ts checks the default). */
export const TEST_SCRYPT_LOG_N = 10;
export const TEST_HASHER = createPasswordHasher(TEST_SCRYPT_LOG_N);

/** The configuration every test app runs with. */
export const TEST_CONFIG = { publicBaseUrl: BASE_URL, representationCacheBytes: 1024 * 1024, publicMaxAgeSeconds: 60, countryHeader: 'cf-ipcountry', dashboardBudgetMs: 1000, signIn: { passwordScryptLogN: TEST_SCRYPT_LOG_N } };

export interface TestApp {
  app: FacetApp;
  store: Store;
  registry: Registry;
  clicks: ClickRecorder;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  now?: () => Date;
  seed?: boolean;
  services?: (store: Store) => Partial<Services>;
  budgetMs?: number;
  log?: (message: string, err: unknown) => void;
  rateLimits?: Partial<RateLimitOptions>;
  /** False answers every request through Express alone (the parity tests' reference). */
  fastPath?: boolean;
  metrics?: Metrics;
  /** Configuration beyond TEST_CONFIG (a metrics token, say). */
  config?: Partial<AppDeps['config']>;
  /** Called with the seeded store before the app is built on it (to spy on what the app reads). */
  beforeApp?: (store: Store) => void;
}

/** A real app on a real SQLite file in a fresh temporary folder, seeded with the demo data at FIXED_NOW. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-test-'));
  const store = createSqliteStore(dataDir);
  if (options.seed !== false) {
    await seedDemoData(store, FIXED_NOW, TEST_HASHER);
    await store.keys.insert({ id: 'key_test_other', hash: hashKey(KEYS.other), userId: 'usr_grace', kind: 'user', label: 'test' }, FIXED_NOW);
  }
  options.beforeApp?.(store);
  const registry = buildRegistry();
  const clicks = createClickRecorder(store.clicks, { flushMs: 60_000, onError: (err) => { throw err; } });
  const app = createApp({
    config: { ...TEST_CONFIG, dashboardBudgetMs: options.budgetMs ?? TEST_CONFIG.dashboardBudgetMs, ...options.config, signIn: { ...TEST_CONFIG.signIn, ...options.config?.signIn } },
    services: options.services?.(store),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    store,
    registry,
    clicks,
    now: options.now ?? (() => FIXED_NOW),
    log: options.log ?? (() => undefined),
    fastPath: options.fastPath,
    metrics: options.metrics,
  });
  return {
    app, store, registry, clicks, dataDir,
    async close() {
      await clicks.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
