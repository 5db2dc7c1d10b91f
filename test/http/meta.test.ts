import request from 'supertest';
import { createTestApp } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('GET /representations/{file}', () => {
  it('serves a schema file the contract references', async () => {
    const res = await request(t.app).get('/representations/link/full.schema.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/schema+json');
    expect(JSON.parse(res.text)).toEqual(t.registry.schemas['link/full.schema.json']);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', '__defineGetter__'])(
    'answers 404 problem+json for the inherited property name %s',
    async (name) => {
      const res = await request(t.app).get(`/representations/${name}`);
      expectProblem(t.registry, res, 404, 'not-found');
      expect(res.headers['cache-control']).toBe('no-store');
    },
  );
});
