import path from 'node:path';
import { inspect } from 'node:util';
import Database from 'better-sqlite3';
import request from 'supertest';
import { FULL, SUMMARY } from '../../representations/media-types';
import { createLinkService } from '../../src/domain/links';
import type { LinkService } from '../../src/domain/links';
import { hashKey } from '../../src/domain/keys';
import { createUserService } from '../../src/domain/users';
import { STORE_RETRY_AFTER_SECONDS } from '../../src/http/answer/error-handler';
import { StoreConflictError, StoreUnavailableError } from '../../src/domain/store-errors';
import { BUSY_WAIT_MS } from '../../src/store/sqlite/busy-retry';
import { translateSqliteError } from '../../src/store/sqlite/errors';
import { BASE_URL, createTestApp, FIXED_NOW, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

/** Everything the app logged, for asserting what reached (and never reached) the log. */
type LogEntry = { message: string; err: unknown };
const logged = (entries: LogEntry[]) => entries.map((e) => `${e.message} ${inspect(e.err, { depth: 10, showHidden: true })} ${JSON.stringify(e.err)}`).join('\n');

let serial = 0;
function post(app: TestApp['app']) {
  serial += 1;
  return request(app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL).set('Content-Type', 'application/json')
    .send(JSON.stringify({ url: `https://example.com/faults/${serial}`, code: `faults-${serial}` }));
}

/** Asserts the 503 a store outage is answered with. */
function expectUnavailable(t: TestApp, res: request.Response): void {
  expectProblem(t.registry, res, 503, 'unavailable');
  expect(res.headers['retry-after']).toBe(String(STORE_RETRY_AFTER_SECONDS));
  expect(res.text).not.toMatch(/SQLITE_|database is locked/);
}

describe('a SQLite file locked by another connection', () => {
  let t: TestApp;
  let holder: Database.Database;
  const log: LogEntry[] = [];
  beforeAll(async () => {
    t = await createTestApp({ log: (message, err) => log.push({ message, err }) });
    holder = new Database(path.join(t.dataDir, 'facet.db'));
  });
  afterAll(async () => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    await t.close();
  });

  it('answers writes with 503 problem+json and Retry-After, and /readyz with 503, while the lock is held', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      expectUnavailable(t, await post(t.app));
      // The store retries on timers for BUSY_WAIT_MS, then gives up: a quick 503, never a hang.
      expect(Date.now() - started).toBeLessThan(BUSY_WAIT_MS + 900);
      expectUnavailable(t, await request(t.app).patch('/api/links/facet').set('Authorization', bearer(KEYS.user)).set('Content-Type', 'application/json').send('{"title":"x"}'));
      expectUnavailable(t, await request(t.app).delete('/api/links/rfc9111').set('Authorization', bearer(KEYS.user)));
      const ready = await request(t.app).get('/readyz');
      expectProblem(t.registry, ready, 503, 'unavailable');
      expect(ready.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      holder.exec('ROLLBACK');
    }
  });

  it('keeps serving reads meanwhile: WAL readers never wait for a writer', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const card = await request(t.app).get('/api/links/facet').set('Accept', SUMMARY);
      expect(card.status).toBe(200);
      expectValidBody(t.registry, card, 'link');
      const hop = await request(t.app).get('/facet');
      expect(hop.status).toBe(302);
      expectValidBody(t.registry, hop);
    } finally {
      holder.exec('ROLLBACK');
    }
  });

  it('recovers without a restart once the lock is released', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    expectUnavailable(t, await post(t.app));
    holder.exec('ROLLBACK');
    const res = await post(t.app);
    expect(res.status).toBe(201);
    expectValidBody(t.registry, res, 'link');
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
    // A shared cache must never keep a health answer: a stale "ready" would hide an outage.
    expect(ready.headers['cache-control']).toBe('no-store');
    expect((await request(t.app).get('/healthz')).headers['cache-control']).toBe('no-store');
  });

  it('logs each 503 without the key that was presented', () => {
    expect(log.length).toBeGreaterThan(0);
    expect(logged(log)).not.toContain(KEYS.user);
    expect(logged(log)).not.toMatch(/Bearer/i);
  });
});

describe('store errors from a failing disk', () => {
  let t: TestApp;
  let failWith: string | null = null;
  const log: LogEntry[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      log: (message, err) => log.push({ message, err }),
      services: (store) => {
        const real = createLinkService(store.links, { now: () => FIXED_NOW, ownHosts: () => [new URL(BASE_URL).hostname] });
        const links: LinkService = {
          ...real,
          // Every read reaches the failing store: none is answered from the hot-read cache.
          peek: () => undefined,
          async get(code) {
            if (failWith) throw translateSqliteError(new Database.SqliteError('simulated store failure', failWith));
            return real.get(code);
          },
        };
        return { links };
      },
    });
  });
  afterAll(async () => { await t.close(); });
  afterEach(() => { failWith = null; });

  it.each(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_IOERR_READ', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY_DBMOVED'])(
    'answers %s with 503 and Retry-After, then serves again once the store does', async (code) => {
      failWith = code;
      expectUnavailable(t, await request(t.app).get('/api/links/facet').set('Accept', SUMMARY));
      failWith = null;
      const res = await request(t.app).get('/api/links/facet').set('Accept', SUMMARY);
      expect(res.status).toBe(200);
      expectValidBody(t.registry, res, 'link');
    },
  );

  it.each(['SQLITE_CORRUPT', 'SQLITE_CONSTRAINT', 'SQLITE_ERROR'])('answers %s, which no retry cures, with an opaque 500', async (code) => {
    failWith = code;
    const res = await request(t.app).get('/api/links/facet').set('Accept', SUMMARY);
    expectProblem(t.registry, res, 500, 'internal');
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.text).not.toContain('simulated');
  });

  it('recognises store outages by their SQLite result code only, inside the store', () => {
    expect(translateSqliteError(new Database.SqliteError('x', 'SQLITE_BUSY_SNAPSHOT'))).toBeInstanceOf(StoreUnavailableError);
    expect(translateSqliteError(new Database.SqliteError('x', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeInstanceOf(StoreConflictError);
    expect(translateSqliteError(new Error('SQLITE_BUSY'))).not.toBeInstanceOf(StoreUnavailableError);
    expect(translateSqliteError({ code: 'SQLITE_BUSYNESS' })).not.toBeInstanceOf(StoreUnavailableError);
    expect(translateSqliteError(null)).toBeNull();
  });
});

describe('a slow internal service', () => {
  let t: TestApp;
  let release: () => void = () => undefined;
  beforeAll(async () => {
    t = await createTestApp({
      services: (store) => {
        const real = createUserService(store.users);
        const gate = new Promise<void>((resolve) => { release = resolve; });
        // The profile lookup waits for the test to let it go: a service as slow as the test likes.
        return { users: { ...real, get: async (id: string) => { await gate; return real.get(id); } } };
      },
    });
  });
  afterAll(async () => { release(); await t.close(); });

  it('never ties up the event loop: other requests are answered while it is still working', async () => {
    let slowDone = false;
    const slow = request(t.app).get('/api/me').set('Authorization', bearer(KEYS.user)).set('Accept', FULL)
      .then((res) => { slowDone = true; return res; });
    const card = await request(t.app).get('/api/links/facet').set('Accept', FULL);
    expect(card.status).toBe(200);
    expectValidBody(t.registry, card, 'link');
    const hop = await request(t.app).get('/facet');
    expect(hop.status).toBe(302);
    expectValidBody(t.registry, hop);
    const stats = await request(t.app).get('/api/links/rfc9110/stats').set('Authorization', bearer(KEYS.user)).set('Accept', FULL);
    expect(stats.status).toBe(200);
    expectValidBody(t.registry, stats, 'link-stats');
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
    expect(slowDone).toBe(false);
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
  });
});

describe('API keys', () => {
  let t: TestApp;
  const log: LogEntry[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      log: (message, err) => log.push({ message, err }),
      services: (store) => {
        const real = createUserService(store.users);
        return { users: { ...real, teamsOf: async () => { throw new Error('teams service exploded'); } } };
      },
    });
  });
  afterAll(async () => { await t.close(); });

  it('are looked up by their SHA-256 only: the store never sees a secret to compare', async () => {
    const lookup = jest.spyOn(t.store.keys, 'findByHash');
    try {
      const secret = 'fct_user_never-seen-before';
      const res = await request(t.app).get('/api/me').set('Authorization', bearer(secret));
      expectProblem(t.registry, res, 401, 'invalid-key');
      expect(lookup.mock.calls).toEqual([[hashKey(secret)]]);
      expect(hashKey(secret)).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      lookup.mockRestore();
    }
  });

  it('are never echoed in a problem body', async () => {
    const secret = 'fct_user_wrong-but-sensitive';
    const res = await request(t.app).get('/api/me').set('Authorization', bearer(secret));
    expectProblem(t.registry, res, 401, 'invalid-key');
    expect(res.text).not.toContain(secret);
  });

  it('are never logged when a request with a key fails with a 500', async () => {
    const res = await request(t.app).get('/api/me').set('Authorization', bearer(KEYS.user)).set('Accept', FULL);
    expectProblem(t.registry, res, 500, 'internal');
    expect(res.text).not.toContain('exploded');
    expect(log.map((e) => e.message)).toContain('GET /api/me failed');
    expect(logged(log)).not.toContain(KEYS.user);
    expect(logged(log)).not.toMatch(/Bearer|authorization/i);
  });

  it('are never logged when the key lookup itself fails', async () => {
    const secret = 'fct_user_lookup-fails';
    const lookup = jest.spyOn(t.store.keys, 'findByHash').mockRejectedValue(translateSqliteError(new Database.SqliteError('disk I/O error', 'SQLITE_IOERR')));
    try {
      const res = await request(t.app).get('/api/me').set('Authorization', bearer(secret));
      expectUnavailable(t, res);
      expect(res.text).not.toContain(secret);
      expect(logged(log)).not.toContain(secret);
      expect(logged(log)).not.toContain(hashKey(secret));
    } finally {
      lookup.mockRestore();
    }
  });
});

describe('clicks of a link deleted before they are written', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('are dropped with the link, without failing the batch that holds other links\' clicks', async () => {
    const created = await post(t.app);
    const code = expectValidBody(t.registry, created, 'link').code as string;
    const before = (await t.store.links.findByCode('facet'))!.clickCount;
    for (const path of [`/${code}`, '/facet']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(302);
      expectValidBody(t.registry, res);
    }
    const deleted = await request(t.app).delete(`/api/links/${code}`).set('Authorization', bearer(KEYS.user));
    expect(deleted.status).toBe(204);
    expectValidBody(t.registry, deleted);
    await t.clicks.flush(); // the test app's recorder rethrows a failed batch
    expect(t.clicks.pending()).toBe(0);
    expect((await t.store.links.findByCode('facet'))!.clickCount).toBe(before + 1);
  });
});
