import request from 'supertest';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('test harness', () => {
  it('serves the seeded link card and validates it against its schema', async () => {
    const res = await request(t.app).get('/api/links/facet').set('Accept', 'application/vnd.example.summary+json');
    expect(res.status).toBe(200);
    const body = expectValidBody(t.registry, res, 'link');
    expect(body.code).toBe('facet');
  });

  it('answers a HEAD without a body', async () => {
    const res = await request(t.app).head('/api/links/facet').set('Authorization', `Bearer ${KEYS.user}`);
    expect(res.status).toBe(200);
    expectValidBody(t.registry, res, 'link');
  });

  it('renders unknown routes as problem+json', async () => {
    const res = await request(t.app).get('/api/nope');
    expectProblem(t.registry, res, 404, 'not-found');
  });
});
