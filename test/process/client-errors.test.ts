import fs from 'node:fs';
import { maxHeaderSize } from 'node:http';
import request from 'supertest';
import { SUMMARY } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import { MAX_REQUEST_TARGET } from '../../src/http/guards/limits';
import { rawExchange } from '../helpers/raw-http';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { startService } from './service-process';
import type { ServiceProcess } from './service-process';

const registry = buildRegistry();
/** A key that appears nowhere but in the refused request, so finding it in the log would be a leak. */
const SECRET = 'fct_user_only-in-the-refused-request';

describe('the real service facing requests its HTTP parser refuses', () => {
  let service: ServiceProcess;
  beforeAll(async () => { service = await startService(); });
  afterAll(() => {
    service.child.kill('SIGKILL');
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it(`answers 431 problem+json when the header fields exceed ${maxHeaderSize} bytes`, async () => {
    const res = await request(service.baseUrl).get('/api/links/facet').set('Authorization', `Bearer ${SECRET}`).set('X-Padding', 'a'.repeat(maxHeaderSize));
    expectProblem(registry, res, 431, 'header-fields-too-large');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 431 for a request target so long that it alone overflows the header limit', async () => {
    expectProblem(registry, await request(service.baseUrl).get(`/facet?${'x'.repeat(maxHeaderSize)}`), 431, 'header-fields-too-large');
  });

  it(`answers 414 problem+json for a request target between ${MAX_REQUEST_TARGET} characters and the header limit`, async () => {
    expectProblem(registry, await request(service.baseUrl).get(`/facet?${'x'.repeat(MAX_REQUEST_TARGET)}`), 414, 'uri-too-long');
  });

  it('answers 400 problem+json to bytes that are not HTTP', async () => {
    expectProblem(registry, await rawExchange(service.baseUrl, 'HELLO THERE\r\n\r\n'), 400, 'bad-request');
    expectProblem(registry, await rawExchange(service.baseUrl, 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'), 400, 'bad-request');
  });

  it('keeps answering well-formed requests afterwards', async () => {
    const res = await request(service.baseUrl).get('/api/links/facet').set('Accept', SUMMARY);
    expect(res.status).toBe(200);
    expectValidBody(registry, res, 'link');
  });

  it('never wrote the refused request, or its key, to its log', () => {
    expect(service.output()).not.toContain(SECRET);
    expect(service.output()).not.toContain('a'.repeat(100));
  });
});
