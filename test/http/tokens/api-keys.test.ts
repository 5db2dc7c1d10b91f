import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import { generateKey, hashKey } from '../../../src/domain/keys';
import type { KeyKind, Scope } from '../../../src/domain/types';
import { createTestApp, FIXED_NOW, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createClock, withBearer } from './token-client';

const clock = createClock();
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ now: () => clock.now }); });
afterAll(async () => { await t.close(); });
beforeEach(() => clock.reset());
afterEach(() => jest.restoreAllMocks());

let inserted = 0;
/** Stores `secret` as a key of Ada's (or `userId`'s) and returns it. */
async function insertKey(secret: string, fields: { scopes?: Scope[]; expiresAt?: Date; kind?: KeyKind; userId?: string } = {}): Promise<string> {
  inserted += 1;
  await t.store.keys.insert({ id: `key_tokens_${inserted}`, hash: hashKey(secret), userId: fields.userId ?? 'usr_ada', kind: fields.kind ?? 'user', label: 'tokens test', scopes: fields.scopes ?? null, expiresAt: fields.expiresAt ?? null }, FIXED_NOW);
  return secret;
}

/** A new-format key with its checksum broken at `index` (another base62 character there). */
function brokenChecksum(key: string, index: number): string {
  const swapped = key[index] === '0' ? '1' : '0';
  return key.slice(0, index) + swapped + key.slice(index + 1);
}

/** POST /api/links with a valid body. */
const createLink = (key: string) =>
  request(t.app).post('/api/links').set('Authorization', `Bearer ${key}`).set('Accept', FULL).set('Content-Type', 'application/json')
    .send(JSON.stringify({ url: 'https://example.com/scoped' }));

/** Asserts the 403 of a key without `scope` (RFC 6750 §3.1). */
function expectInsufficientScope(res: request.Response, scope: Scope): void {
  const body = expectProblem(t.registry, res, 403, 'insufficient-scope');
  expect(body.detail).toContain(scope);
  expect(res.headers['www-authenticate']).toBe(`Bearer realm="facet", error="insufficient_scope", scope="${scope}"`);
}

describe('checksummed fct_live_ keys', () => {
  it('refuses a key whose checksum fails with 401 invalid-key, without reading the store', async () => {
    const genuine = await insertKey(generateKey());
    const findByHash = jest.spyOn(t.store.keys, 'findByHash');
    for (const path of ['/api/me', '/api/links', '/api/dashboard']) {
      for (const index of [9, 30, genuine.length - 1]) {
        const res = await withBearer(t, brokenChecksum(genuine, index), path);
        expectProblem(t.registry, res, 401, 'invalid-key');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
      }
    }
    expect(findByHash).not.toHaveBeenCalled();
  });

  it.each([
    ['one character short', (key: string) => key.slice(0, -1)],
    ['one character long', (key: string) => `${key}0`],
    ['a character outside base62', (key: string) => `${key.slice(0, 20)}-${key.slice(21)}`],
  ])('refuses a mistyped fct_live_ key, %s, with 401 invalid-key without reading the store', async (_name, mistype) => {
    const genuine = await insertKey(generateKey());
    const findByHash = jest.spyOn(t.store.keys, 'findByHash');
    const res = await withBearer(t, mistype(genuine));
    expectProblem(t.registry, res, 401, 'invalid-key');
    expect(findByHash).not.toHaveBeenCalled();
  });

  it('reads the store once for a new key whose checksum holds, and lets it in', async () => {
    const key = await insertKey(generateKey());
    const findByHash = jest.spyOn(t.store.keys, 'findByHash');
    const res = await withBearer(t, key).set('Accept', FULL);
    expect(res.status).toBe(200);
    expect(expectValidBody(t.registry, res, 'me')).toMatchObject({ name: 'Ada Lovelace', keyKind: 'user' });
    expect(findByHash).toHaveBeenCalledTimes(1);
    expect(findByHash).toHaveBeenCalledWith(hashKey(key));
  });

  it('answers 401 invalid-key for a well-formed key that was never issued', async () => {
    const res = await withBearer(t, generateKey());
    expectProblem(t.registry, res, 401, 'invalid-key');
  });
});

describe('keys of the old formats', () => {
  it.each([['the demo user key', KEYS.user], ['the demo partner key', KEYS.partner]])('lets %s in', async (_name, key) => {
    const res = await withBearer(t, key).set('Accept', FULL);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
  });

  it('lets in an fct_user_ key inserted directly', async () => {
    const key = await insertKey(`fct_user_${randomBytes(32).toString('base64url')}`);
    const res = await withBearer(t, key).set('Accept', FULL);
    expect(res.status).toBe(200);
    expect(expectValidBody(t.registry, res, 'me')).toMatchObject({ name: 'Ada Lovelace', keyKind: 'user' });
  });

  it('lets in an fct_partner_ key inserted directly, pinned to partner.v3', async () => {
    const key = await insertKey(`fct_partner_${randomBytes(32).toString('base64url')}`, { kind: 'partner', userId: 'usr_acme' });
    const res = await withBearer(t, key);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'me');
  });
});

describe('key scopes', () => {
  it('lets a links:read key list links but refuses its POST /api/links with 403 naming links:write', async () => {
    const key = await insertKey(generateKey(), { scopes: ['links:read'] });
    const list = await withBearer(t, key, '/api/links').set('Accept', SUMMARY);
    expect(list.status).toBe(200);
    expectValidBody(t.registry, list, 'link-page');
    expectInsufficientScope(await createLink(key), 'links:write');
  });

  it('refuses PATCH and DELETE of a links:read key, changing nothing', async () => {
    const key = await insertKey(generateKey(), { scopes: ['links:read'] });
    const patch = await request(t.app).patch('/api/links/facet').set('Authorization', `Bearer ${key}`).set('Accept', FULL)
      .set('Content-Type', 'application/json').send(JSON.stringify({ title: 'Scoped out' }));
    expectInsufficientScope(patch, 'links:write');
    expectInsufficientScope(await request(t.app).delete('/api/links/facet').set('Authorization', `Bearer ${key}`), 'links:write');
    const card = await request(t.app).get('/api/links/facet').set('Accept', FULL);
    expect(card.status).toBe(200);
    expect(expectValidBody(t.registry, card, 'link').title).not.toBe('Scoped out');
  });

  it('lets a key with links:write create a link', async () => {
    const key = await insertKey(generateKey(), { scopes: ['links:read', 'links:write'] });
    const res = await createLink(key);
    expect(res.status).toBe(201);
    expectValidBody(t.registry, res, 'link');
  });

  it('needs stats:read for GET /api/links/{code}/stats', async () => {
    const reader = await insertKey(generateKey(), { scopes: ['links:read'] });
    expectInsufficientScope(await withBearer(t, reader, '/api/links/facet/stats').set('Accept', SUMMARY), 'stats:read');
    const analyst = await insertKey(generateKey(), { scopes: ['stats:read'] });
    const res = await withBearer(t, analyst, '/api/links/facet/stats').set('Accept', SUMMARY);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link-stats');
  });

  it('refuses a stats:read key the listing and the dashboard, naming links:read', async () => {
    const analyst = await insertKey(generateKey(), { scopes: ['stats:read'] });
    expectInsufficientScope(await withBearer(t, analyst, '/api/links').set('Accept', SUMMARY), 'links:read');
    expectInsufficientScope(await withBearer(t, analyst, '/api/dashboard').set('Accept', SUMMARY), 'links:read');
  });

  it('lets a scoped key read /api/me, which needs no scope', async () => {
    const analyst = await insertKey(generateKey(), { scopes: ['stats:read'] });
    const res = await withBearer(t, analyst).set('Accept', FULL);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'me');
  });

  it('lets a key without scopes do everything', async () => {
    const key = await insertKey(generateKey());
    expect((await withBearer(t, key, '/api/links/facet/stats').set('Accept', SUMMARY)).status).toBe(200);
    const res = await createLink(key);
    expect(res.status).toBe(201);
    expectValidBody(t.registry, res, 'link');
  });
});

describe('key expiry', () => {
  it('answers 401 invalid-key for a key whose expiresAt has passed', async () => {
    const key = await insertKey(generateKey(), { expiresAt: new Date(FIXED_NOW.getTime() - 1000) });
    const res = await withBearer(t, key);
    expectProblem(t.registry, res, 401, 'invalid-key');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="facet", error="invalid_token"');
  });

  it('lets a key in until its expiresAt and refuses it from then on, though it was remembered', async () => {
    const key = await insertKey(generateKey(), { expiresAt: new Date(FIXED_NOW.getTime() + 60_000) });
    clock.advance(59);
    const before = await withBearer(t, key).set('Accept', FULL);
    expect(before.status).toBe(200);
    expectValidBody(t.registry, before, 'me');
    clock.advance(1);
    expectProblem(t.registry, await withBearer(t, key), 401, 'invalid-key');
  });
});

describe('the default representation of a partner key', () => {
  it('stays partner.v3 on GET /api/me without Accept', async () => {
    const res = await withBearer(t, KEYS.partner);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'me');
  });

  it('stays partner.v3 whatever X-Client-Platform says', async () => {
    const res = await withBearer(t, KEYS.partner).set('X-Client-Platform', 'web');
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    expectValidBody(t.registry, res, 'me');
  });

  it('gives way to Accept', async () => {
    const res = await withBearer(t, KEYS.partner).set('Accept', FULL);
    expect(res.headers['content-type']).toBe(FULL);
    expectValidBody(t.registry, res, 'me');
  });
});
