import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { FULL } from '../../representations/media-types';
import { handleClientError } from '../../src/http/pipeline/client-error';
import { MAX_REQUEST_TARGET } from '../../src/http/guards/limits';
import { createUserService } from '../../src/domain/users';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { rawExchange } from '../helpers/raw-http';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { bearer } from './http-expect';

// What probing the running service from outside found (issue 20, item 7), one test each.
const ORIGIN = 'https://app.example';
let t: TestApp;
let server: http.Server;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ config: { corsOrigins: [ORIGIN] } });
  server = http.createServer(t.app);
  server.on('clientError', handleClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const create = (body: Buffer | string) => request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL).set('Content-Type', 'application/json').send(body);
const codeCount = async (code: string) => (await t.store.links.findByCode(code, { fresh: true })) === null ? 0 : 1;

describe('bodies the service refuses rather than reads one way of several', () => {
  it('answers 400 to a body naming one member twice, escapes decoded, and stores nothing', async () => {
    for (const text of ['{"url":"https://example.com/a","code":"dupe-a","code":"dupe-b"}', '{"url":"https://example.com/a","code":"dupe-c","\\u0063ode":"dupe-d"}']) {
      const res = await create(text);
      const problem = expectProblem(t.registry, res, 400, 'malformed-json');
      expect(problem.detail).toContain('"code" twice');
    }
    expect(await codeCount('dupe-a') + await codeCount('dupe-b') + await codeCount('dupe-c') + await codeCount('dupe-d')).toBe(0);
  });

  it('still reads a body whose nested objects reuse a name, or whose strings hold quotes and braces', async () => {
    const res = await create(JSON.stringify({ url: 'https://example.com/nested', code: 'nested-ok', title: 'say "{code}" , [x]', tags: ['code'] }));
    expect(res.status).toBe(201);
    expectValidBody(t.registry, res, 'link');
  });

  it('answers 400 to a body that is not valid UTF-8, and stores nothing', async () => {
    const bytes = Buffer.concat([Buffer.from('{"url":"https://example.com/utf","code":"bad-utf8","title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const sent = await new Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request(`${base}/api/links`, { method: 'POST', headers: { Authorization: bearer(KEYS.user), Accept: FULL, 'Content-Type': 'application/json', 'Content-Length': bytes.length } }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => { text += c; });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text, headers: r.headers }));
      });
      req.on('error', reject);
      req.end(bytes);
    });
    const problem = expectProblem(t.registry, { ...sent, req: { method: 'POST' } } as unknown as request.Response, 400, 'malformed-json');
    expect(problem.detail).toContain('UTF-8');
    expect(await codeCount('bad-utf8')).toBe(0);
  });
});

describe('requests the service refuses at the door', () => {
  it('answers 400 to a request with two Host header fields (RFC 9112 §3.2)', async () => {
    const res = await rawExchange(base, 'GET /api/links/facet HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n');
    expectProblem(t.registry, res, 400, 'bad-request');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('varies a 414 of /api on Origin too, as every /api answer of a CORS-enabled service', async () => {
    const res = await request(t.app).get(`/api/links/${'a'.repeat(MAX_REQUEST_TARGET)}`).set('Origin', ORIGIN);
    expectProblem(t.registry, res, 414, 'uri-too-long');
    expect(res.headers.vary).toContain('Origin');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('varies a 431 on Origin too', async () => {
    const res = await rawExchange(base, `GET /api/links/facet HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expectProblem(t.registry, res, 431, 'header-fields-too-large');
    expect(res.headers.vary).toBe('Origin');
  });
});

describe('team ids', () => {
  it('answers 404 to a team id no team can have (a NUL, a slash, 500 characters) without asking the store', async () => {
    let reads = 0;
    const users = createUserService({ ...t.store.users, findTeam: async (id) => { reads += 1; return t.store.users.findTeam(id); } });
    for (const id of ['a\u0000b', 'a/b', 'x'.repeat(500)]) await expect(users.teamForMember(id, 'usr_ada')).rejects.toMatchObject({ kind: 'not-found' });
    expect(reads).toBe(0);
    const res = await request(t.app).get('/api/teams/a%00b').set('Authorization', bearer(KEYS.user)).set('Accept', FULL);
    expectProblem(t.registry, res, 404, 'not-found');
  });
});

describe('GET /readyz', () => {
  it('answers 503 within its own short timeout when the store does not answer, not after the statement timeout', async () => {
    const stuck = await createTestApp({ seed: false });
    try {
      stuck.store.ping = () => new Promise<void>(() => undefined);
      const res = await request(stuck.app).get('/readyz');
      expectProblem(stuck.registry, res, 503, 'unavailable');
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await stuck.close();
    }
  });
});
