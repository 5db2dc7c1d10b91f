import { parseFields, projectFields, schemaFieldPaths } from '../../representations/fields';
import type { FieldSelection } from '../../representations/fields';
import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../representations/media-types';
import { buildRegistry, SCHEMA_FILES } from '../../representations/registry';
import { expectValidSparseBody, withoutRequired } from '../helpers/relaxed-schema';

const registry = buildRegistry();
const dashboardFull = registry.resource('dashboard').get(FULL);

function select(raw: string, allowed: ReadonlySet<string>): FieldSelection {
  const outcome = parseFields(raw, allowed);
  if (!outcome.ok) throw new Error(`refused ${raw}: ${outcome.reason} ${outcome.unknown.join(',')}`);
  return outcome.selection;
}

describe('schemaFieldPaths', () => {
  it('lists the members of a flat schema', () => {
    expect(schemaFieldPaths(SCHEMA_FILES['link/summary.schema.json']!, 'link/summary.schema.json', () => { throw new Error('no refs here'); }))
      .toEqual(['code', 'shortUrl', 'url', 'clicks']);
  });

  it('reaches into nested objects, array elements and $ref’d files, and stops at open records', () => {
    const paths = dashboardFull.fields!;
    for (const path of ['profile', 'profile.name', 'teams.role', 'links', 'links.link', 'links.link.code', 'links.link.links.self', 'links.analytics.daily', 'links.analytics.countries', 'degraded']) {
      expect(paths).toContain(path);
    }
    expect(paths).not.toContain('links.analytics.countries.DE');
    expect(registry.resource('link-page').get(SUMMARY).fields).toEqual(new Set(['items', 'items.code', 'items.shortUrl', 'items.url', 'items.clicks', 'nextCursor']));
  });

  it('is derived for summary and full of every resource, and absent for the frozen partner.v3 and partner.v4', () => {
    for (const name of ['link', 'link-page', 'link-stats', 'me', 'team', 'dashboard'] as const) {
      const reps = registry.resource(name);
      for (const type of reps.offers) {
        if (type === PARTNER_V3 || type === PARTNER_V4) expect(reps.get(type).fields).toBeNull();
        else expect(reps.get(type).fields!.size).toBeGreaterThan(0);
      }
    }
  });

  it('refuses a $ref that does not name a schema file, so the registry does not build', () => {
    const broken = { ...SCHEMA_FILES, 'link-page/full.schema.json': { ...SCHEMA_FILES['link-page/full.schema.json'], properties: { items: { $ref: '../link/missing.schema.json' } } } };
    expect(() => buildRegistry(broken)).toThrow();
  });
});

describe('parseFields', () => {
  const allowed = dashboardFull.fields!;

  it('normalises order, repeats, blanks and paths covered by an ancestor into one key', () => {
    expect(select('links.link.code, profile.name,,profile.name', allowed).key).toBe('links.link.code,profile.name');
    expect(select('links.link.code,links,profile', allowed).key).toBe('links,profile');
    expect(select('profile,links', allowed).key).toBe(select('links,profile', allowed).key);
  });

  it('names every unknown path', () => {
    expect(parseFields('profile,nope,links.link.secret', allowed)).toEqual({ ok: false, unknown: ['nope', 'links.link.secret'], reason: 'unknown' });
    expect(parseFields('links.analytics.countries.DE', allowed)).toMatchObject({ ok: false, unknown: ['links.analytics.countries.DE'] });
  });

  it('refuses an empty selection and one of more than 64 paths', () => {
    expect(parseFields(' , ', allowed)).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseFields(Array.from({ length: 65 }, (_, i) => `p${i}`).join(','), allowed)).toMatchObject({ ok: false, reason: 'too-many' });
  });
});

describe('projectFields', () => {
  const body = {
    profile: { id: 'usr_ada', name: 'Ada', email: 'ada@example.org', avatarUrl: null, createdAt: '2026-01-01T00:00:00.000Z' },
    teams: null,
    links: [
      { link: { code: 'a', clicks: 3, links: { self: 'http://x/s', redirect: 'http://x/r' } }, analytics: null },
      { link: { code: 'b', clicks: 0, links: { self: 'http://x/s2', redirect: 'http://x/r2' } }, analytics: { from: '2026-10-21', daily: [1], countries: {}, devices: {} } },
    ],
    degraded: ['teams'],
  };

  it('selects inside nested objects and inside every element of an array, keeping the body’s order', () => {
    const { tree } = select('links.link.code,profile.name,links.analytics.daily', dashboardFull.fields!);
    expect(projectFields(body, tree)).toEqual({
      profile: { name: 'Ada' },
      links: [{ link: { code: 'a' }, analytics: null }, { link: { code: 'b' }, analytics: { daily: [1] } }],
    });
    expect(Object.keys(projectFields(body, select('links.link.code,profile.name', dashboardFull.fields!).tree) as object)).toEqual(['profile', 'links']);
  });

  it('keeps a selected member whole, and a null section null', () => {
    const { tree } = select('teams,links.link.links', dashboardFull.fields!);
    expect(projectFields(body, tree)).toEqual({ teams: null, links: [{ link: { links: { self: 'http://x/s', redirect: 'http://x/r' } } }, { link: { links: { self: 'http://x/s2', redirect: 'http://x/r2' } } }] });
  });

  it('leaves its input untouched (pure)', () => {
    const before = JSON.stringify(body);
    projectFields(body, select('profile.name', dashboardFull.fields!).tree);
    expect(JSON.stringify(body)).toBe(before);
  });

  it('produces bodies valid against the representation with required relaxed, for every single allowed path', () => {
    for (const path of dashboardFull.fields!) {
      expectValidSparseBody('dashboard', FULL, projectFields(body, select(path, dashboardFull.fields!).tree));
    }
  });
});

describe('withoutRequired', () => {
  it('drops required at every depth and keeps everything else', () => {
    const relaxed = withoutRequired(SCHEMA_FILES['dashboard/full.schema.json']) as { required?: unknown; properties: { profile: { required?: unknown; additionalProperties: boolean } } };
    expect(relaxed.required).toBeUndefined();
    expect(relaxed.properties.profile.required).toBeUndefined();
    expect(relaxed.properties.profile.additionalProperties).toBe(false);
  });
});
