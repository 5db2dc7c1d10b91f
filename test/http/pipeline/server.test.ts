import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { FULL, SUMMARY } from '../../../representations/media-types';
import { createServer } from '../../../src/http/pipeline/server';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { bearer, expectNegotiatedVary, expectRepresentationHeaders } from '../http-expect';

/** Listens on a free loopback port; resolves with the base URL and a closer. */
async function listen(server: http.Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('createServer', () => {
  describe('request and response objects', () => {
    const app = express();
    app.get('/probe', function probe(req, res) {
      res.json({
        reqApp: req.app === app,
        resApp: res.app === app,
        reqRes: req.res === res,
        resReq: res.req === req,
        locals: typeof res.locals === 'object',
        incoming: req instanceof http.IncomingMessage,
        outgoing: res instanceof http.ServerResponse,
        accept: req.get('accept'),
        query: req.query,
        path: req.path,
      });
    });
    const server = createServer(app);
    const born: boolean[] = [];
    // Runs before Express sees the request: the objects must already have Express's prototypes.
    server.prependListener('request', (req, res) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    let target: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => { target = await listen(server); });
    afterAll(async () => { await target.close(); });

    it('are born with app.request and app.response as prototypes, so Express re-parents nothing', async () => {
      const res = await request(target.url).get('/probe');
      expect(res.status).toBe(200);
      expect(born).toEqual([true]);
    });

    it('keep req.app, res.app, req.res, res.req, res.locals and the Express helpers working', async () => {
      const res = await request(target.url).get('/probe?x=1').set('Accept', 'text/plain, */*');
      expect(res.body).toEqual({
        reqApp: true, resApp: true, reqRes: true, resReq: true, locals: true, incoming: true, outgoing: true,
        accept: 'text/plain, */*', query: { x: '1' }, path: '/probe',
      });
    });
  });

  describe('serving the Facet app', () => {
    let t: TestApp;
    let target: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      t = await createTestApp();
      target = await listen(createServer(t.app));
    });
    afterAll(async () => {
      await target.close();
      await t.close();
    });

    it('negotiates the link card and sets its representation headers', async () => {
      const res = await request(target.url).get('/api/links/facet').set('Accept', SUMMARY);
      expect(res.status).toBe(200);
      expectRepresentationHeaders(res, SUMMARY, { cacheControl: 'public, max-age=60', path: '/api/links/facet' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expectValidBody(t.registry, res, 'link');
    });

    it('answers a matching If-None-Match with 304 and no body', async () => {
      const first = await request(target.url).get('/api/links/facet').set('Accept', FULL);
      const res = await request(target.url).get('/api/links/facet').set('Accept', FULL).set('If-None-Match', first.headers.etag as string);
      expect(res.status).toBe(304);
      expect(res.headers.etag).toBe(first.headers.etag);
      expectNegotiatedVary(res);
      expectValidBody(t.registry, res, 'link');
    });

    it('serves the private dashboard to a key', async () => {
      const res = await request(target.url).get('/api/dashboard').set('Authorization', bearer(KEYS.user)).set('Accept', SUMMARY);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(SUMMARY);
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expectValidBody(t.registry, res, 'dashboard');
    });

    it('answers 406 as problem+json listing the acceptable types', async () => {
      const res = await request(target.url).get('/api/links/facet').set('Accept', 'text/plain');
      const body = expectProblem(t.registry, res, 406, 'not-acceptable');
      expect(body.acceptable).toEqual(expect.arrayContaining([FULL, SUMMARY]));
      expectNegotiatedVary(res);
    });

    it('answers a missing key with a 401 problem and a Bearer challenge', async () => {
      const res = await request(target.url).get('/api/dashboard').set('Accept', SUMMARY);
      expectProblem(t.registry, res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    });

    it('answers an unknown path with a 404 problem', async () => {
      const res = await request(target.url).get('/api/nothing-here');
      expectProblem(t.registry, res, 404, 'not-found');
    });
  });
});
