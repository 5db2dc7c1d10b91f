import request from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../representations/media-types';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const get = (path: string, accept: string | null, key: string = KEYS.user) => {
  const req = request(t.app).get(path).set('Authorization', `Bearer ${key}`);
  return accept === null ? req : req.set('Accept', accept);
};

describe('GET /api/me', () => {
  it('serves the summary, full and partner.v3 of the caller', async () => {
    const summary = expectValidBody(t.registry, await get('/api/me', SUMMARY), 'me');
    expect(summary).toEqual({ id: 'usr_ada', name: 'Ada Lovelace', avatarUrl: 'https://avatars.example.com/ada.png' });
    const full = expectValidBody(t.registry, await get('/api/me', FULL), 'me') as { keyKind: string; teams: { id: string; role: string }[] };
    expect(full.keyKind).toBe('user');
    expect(full.teams).toEqual([{ id: 'team_demo', name: 'Facet Demo', role: 'owner' }]);
  });

  it('pins a partner key to partner.v3 when Accept is generic', async () => {
    const res = await get('/api/me', '*/*', KEYS.partner);
    expect(res.headers['content-type']).toBe(PARTNER_V3);
    const body = expectValidBody(t.registry, res, 'me');
    expect(body).toMatchObject({ id: 'usr_acme', account_type: 'partner' });
    expect(typeof body.created_at).toBe('number');
  });

  it('needs a key', async () => {
    const res = await request(t.app).get('/api/me');
    expectProblem(t.registry, res, 401, 'unauthorized');
  });
});

describe('GET /api/teams/:id', () => {
  it('shows a member the team in summary and full', async () => {
    const summary = expectValidBody(t.registry, await get('/api/teams/team_demo', SUMMARY, KEYS.other), 'team');
    expect(summary).toEqual({ id: 'team_demo', name: 'Facet Demo', memberCount: 2 });
    const full = expectValidBody(t.registry, await get('/api/teams/team_demo', FULL), 'team') as { members: { id: string; role: string }[] };
    expect(full.members.map((m) => [m.id, m.role])).toEqual([['usr_ada', 'owner'], ['usr_grace', 'member']]);
    expect(JSON.stringify(full)).not.toMatch(/@example\.com/);
  });

  it('answers 406 for partner.v3, which teams do not offer, and for a partner key asking generically', async () => {
    const named = expectProblem(t.registry, await get('/api/teams/team_demo', PARTNER_V3), 406, 'not-acceptable');
    expect(named.acceptable).toEqual([FULL, SUMMARY, 'text/html']);
    expectProblem(t.registry, await get('/api/teams/team_demo', null, KEYS.partner), 406, 'not-acceptable');
  });

  it('hides a team from non-members as 404', async () => {
    expectProblem(t.registry, await get('/api/teams/team_demo', FULL, KEYS.partner), 404, 'not-found');
    expectProblem(t.registry, await get('/api/teams/nope', FULL), 404, 'not-found');
  });
});
