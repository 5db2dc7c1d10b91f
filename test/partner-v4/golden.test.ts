import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { PARTNER_V4 } from '../../representations/media-types';
import { buildRegistry } from '../../representations/registry';
import type { ResourceName } from '../../representations/registry';
import { expectValidBody } from '../helpers/schema';
import { createFixtureApp, FIXTURE_KEY } from './fixture';

const GOLDEN_DIR = path.join(__dirname, 'golden');
const registry = buildRegistry();
let fixture: Awaited<ReturnType<typeof createFixtureApp>>;
beforeAll(async () => { fixture = await createFixtureApp(); });
afterAll(async () => { await fixture.close(); });

/** Every partner.v4 response of the frozen contract, as the fixture answers it. */
const CASES: [name: string, path: string, resource: ResourceName][] = [
  ['link', '/api/links/abc123', 'link'],
  ['link-expired', '/api/links/spring-sale', 'link'],
  ['links-page', '/api/links?limit=2', 'link-page'],
  ['stats', '/api/links/abc123/stats', 'link-stats'],
  ['me', '/api/me', 'me'],
];

describe('the frozen partner.v4 contract', () => {
  it.each(CASES)('answers %s (%s) byte for byte as its golden file, Content-Type included', async (name, url, resource) => {
    const res = await request(fixture.app).get(url).set('Authorization', `Bearer ${FIXTURE_KEY}`).set('Accept', PARTNER_V4);
    expect(res.status).toBe(200);
    expectValidBody(registry, res, resource);
    const actual = `Content-Type: ${res.headers['content-type']}\n\n${res.text}\n`;
    const file = path.join(GOLDEN_DIR, `${name}.http`);
    // Goldens are written once, on purpose, by a person: UPDATE_GOLDEN=1 and never in CI.
    if (!fs.existsSync(file) && process.env.UPDATE_GOLDEN === '1' && process.env.CI !== 'true') fs.writeFileSync(file, actual);
    expect(fs.existsSync(file)).toBe(true);
    expect(actual).toBe(fs.readFileSync(file, 'utf8'));
  });
});
