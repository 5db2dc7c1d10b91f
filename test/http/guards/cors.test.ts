import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, createCors } from '../../../src/http/guards/cors';
import type { Cors } from '../../../src/http/guards/cors';

const APP = 'https://app.example.com';

/** A server whose requests pass through `cors` and are otherwise answered 200 "next". */
function serverWith(cors: Cors) {
  return http.createServer((req: IncomingMessage, res: ServerResponse) => {
    if (cors.handle(req, res)) return;
    res.writeHead(200, ['Vary', 'Origin', 'Content-Type', 'text/plain']).end('next');
  });
}

describe('createCors', () => {
  const server = serverWith(createCors([APP, 'http://localhost:5173']));

  describe('a preflight (OPTIONS with Origin and Access-Control-Request-Method)', () => {
    it('from a listed origin is answered 204 echoing it, with the methods, request headers and a max age of at least 10 minutes', async () => {
      const res = await request(server).options('/api/links/abc').set('Origin', APP)
        .set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'authorization, if-match, content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PATCH, DELETE');
      expect(res.headers['access-control-allow-headers']).toBe(CORS_ALLOWED_HEADERS);
      for (const name of ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Accept', 'X-Client-Platform']) {
        expect(CORS_ALLOWED_HEADERS.split(', ')).toContain(name);
      }
      expect(Number(res.headers['access-control-max-age'])).toBeGreaterThanOrEqual(600);
      expect(res.headers.vary).toBe('Origin');
      expect(res.text ?? '').toBe('');
    });

    it('from another origin is answered 204 without a grant, so the browser refuses the request', async () => {
      const res = await request(server).options('/api/me').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expect(res.headers.vary).toBe('Origin');
    });

    it('outside /api is left to the routes', async () => {
      const res = await request(server).options('/openapi.yaml').set('Origin', APP).set('Access-Control-Request-Method', 'GET');
      expect(res.text).toBe('next');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('grants /API spelled in capitals, which Express routes to the API too', async () => {
      const res = await request(server).get('/API/me').set('Origin', APP);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
    });

    it('needs Access-Control-Request-Method: a plain OPTIONS goes on to the routes (with the grant)', async () => {
      const res = await request(server).options('/api/me').set('Origin', APP);
      expect(res.text).toBe('next');
      expect(res.headers['access-control-allow-origin']).toBe(APP);
    });
  });

  describe('an actual request', () => {
    it('from a listed origin goes on with the origin echoed and the readable headers exposed', async () => {
      const res = await request(server).get('/api/dashboard').set('Origin', 'http://localhost:5173');
      expect(res.text).toBe('next');
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(res.headers['access-control-expose-headers']).toBe(CORS_EXPOSED_HEADERS);
      for (const name of ['Deprecation', 'ETag', 'Link', 'Location', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'Sunset']) {
        expect(CORS_EXPOSED_HEADERS.split(', ')).toContain(name);
      }
    });

    it.each([['https://evil.example'], ['https://app.example.com.evil.example'], ['null'], ['HTTPS://APP.EXAMPLE.COM']])('from %s gets no grant', async (origin) => {
      const res = await request(server).get('/api/me').set('Origin', origin);
      expect(res.text).toBe('next');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-expose-headers']).toBeUndefined();
    });

    it('without Origin (not a browser on another origin) gets no grant', async () => {
      const res = await request(server).get('/api/me');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('is off without origins: preflights go on to the routes and nothing varies on Origin', async () => {
    const off = createCors([]);
    expect(off.enabled).toBe(false);
    const res = await request(serverWith(off)).options('/api/me').set('Origin', APP).set('Access-Control-Request-Method', 'GET');
    expect(res.text).toBe('next');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
