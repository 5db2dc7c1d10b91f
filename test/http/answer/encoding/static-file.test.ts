import express from 'express';
import request from 'supertest';
import { staticFile } from '../../../../src/http/answer/encoding/static-file';

const TEXT = 'openapi: 3.1.0\n'.repeat(400);

function appServing(load: Parameters<typeof staticFile>[1], minBytes?: number) {
  const app = express();
  app.get('/file', staticFile('application/yaml', load, { cacheControl: 'public, max-age=300', minBytes }));
  return app;
}

describe('staticFile', () => {
  // supertest decodes gzip and br bodies itself: res.text is the decoded file, Content-Length the encoded size.
  it.each(['gzip', 'br'] as const)('answers %s with Content-Encoding, Vary and an ETag of its own, decoding to the file', async (coding) => {
    const app = appServing(TEXT);
    const identity = await request(app).get('/file').set('Accept-Encoding', 'identity');
    const res = await request(app).get('/file').set('Accept-Encoding', coding);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBeLessThan(TEXT.length / 10);
    expect(res.text).toBe(TEXT);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    expect(identity.text).toBe(TEXT);
    expect(res.headers.etag).toBe(`${(identity.headers.etag as string).slice(0, -1)}-${coding === 'gzip' ? 'gz' : 'br'}"`);
  });

  it('answers 304 only when If-None-Match names the ETag of the coding asked for', async () => {
    const app = appServing(TEXT);
    const gz = await request(app).get('/file').set('Accept-Encoding', 'gzip');
    const identityTag = (await request(app).get('/file').set('Accept-Encoding', 'identity')).headers.etag as string;
    const revalidated = await request(app).get('/file').set('Accept-Encoding', 'gzip').set('If-None-Match', gz.headers.etag as string);
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.vary).toBe('Accept-Encoding');
    const crossed = await request(app).get('/file').set('Accept-Encoding', 'gzip').set('If-None-Match', identityTag);
    expect(crossed.status).toBe(200);
  });

  it('reads a lazily loaded file once and keeps a small one identity', async () => {
    const load = jest.fn(() => Buffer.from('{"ok":true}'));
    const app = appServing(load);
    expect(load).not.toHaveBeenCalled();
    for (let i = 0; i < 2; i += 1) {
      const res = await request(app).get('/file').set('Accept-Encoding', 'br');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.text).toBe('{"ok":true}');
    }
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('sends headers without a body to HEAD', async () => {
    const res = await request(appServing(TEXT)).head('/file').set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.text ?? '').toBe('');
  });
});
