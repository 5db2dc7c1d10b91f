import request from 'supertest';
import { FULL, SUMMARY } from '../../../representations/media-types';
import { createApp } from '../../../src/app';
import { createKeyUsage } from '../../../src/domain/key-usage';
import type { KeyUsage } from '../../../src/domain/key-usage';
import { createTestApp, FIXED_NOW, KEYS, TEST_CONFIG } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';

let t: TestApp;
let keyUsage: KeyUsage;
beforeEach(async () => {
  t = await createTestApp();
  keyUsage = createKeyUsage(t.store.keys, { flushMs: 3_600_000, now: () => FIXED_NOW, log: (message) => { throw new Error(message); } });
});
afterEach(async () => {
  await keyUsage.close();
  await t.close();
});

/** An app on the test's store that notes key usage; `fastPath: false` answers everything through Express. */
const appWithUsage = (fastPath?: boolean) => createApp({ config: TEST_CONFIG, store: t.store, registry: t.registry, clicks: t.clicks, keyUsage, now: () => FIXED_NOW, fastPath });

/** What the store holds for FIXED_NOW's day once the usage is flushed, per key and representation. */
async function flushedUsage(): Promise<string[]> {
  await keyUsage.flush();
  return (await t.store.keys.usage('2026-11-20')).map((u) => `${u.keyId} ${u.representation} ${u.answers}`);
}

describe('counting the answers an API key gets, per representation', () => {
  it.each([[true], [false]])('counts the representation each answer was negotiated in, at its end, on either path (fast path %p)', async (fastPath) => {
    const app = appWithUsage(fastPath);
    const get = (path: string, key: string, accept: string) => request(app).get(path).set('Authorization', `Bearer ${key}`).set('Accept', accept);
    expect((await get('/api/dashboard', KEYS.user, SUMMARY)).status).toBe(200);
    expect((await get('/api/dashboard', KEYS.user, FULL)).status).toBe(200);
    expect((await get('/api/me', KEYS.user, FULL)).status).toBe(200);
    expect((await get('/api/me', KEYS.partner, '*/*')).status).toBe(200);
    expect(await flushedUsage()).toEqual(['key_demo_partner partner.v3 1', 'key_demo_user full 2', 'key_demo_user summary 1']);
  });

  it('counts no answer that negotiated no representation, a 406, while still noting the key was used', async () => {
    const res = await request(appWithUsage()).get('/api/me').set('Authorization', `Bearer ${KEYS.user}`).set('Accept', 'image/png');
    expect(res.status).toBe(406);
    expect(await flushedUsage()).toEqual([]);
    expect((await t.store.keys.list()).find((k) => k.id === 'key_demo_user')?.lastUsedAt).toEqual(FIXED_NOW);
  });

  it('counts nothing for an answer to an anonymous caller', async () => {
    const res = await request(appWithUsage()).get('/api/links/nosuchcode').set('Accept', FULL);
    expect(res.status).toBe(404);
    expect(await flushedUsage()).toEqual([]);
  });
});
