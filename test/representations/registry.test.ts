import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RepresentationDefinition } from '../../representations/definition';
import { shapeLinkPageFull } from '../../representations/link-page/full';
import { buildRegistry, DEFINITIONS, SCHEMA_FILES } from '../../representations/registry';
import { FULL, SUMMARY } from '../../representations/media-types';
import { SPARSE_SUFFIX } from '../../representations/sparse';
import type { Link } from '../../src/domain/types';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Every object schema inside `schema`, with its JSON Pointer. */
function objectSchemas(schema: unknown, pointer = ''): [string, Record<string, unknown>][] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const own: [string, Record<string, unknown>][] = node.type === 'object' ? [[pointer || '/', node]] : [];
  return own.concat(...Object.entries(node).map(([key, child]) => objectSchemas(child, `${pointer}/${key}`)));
}

describe('the representation registry', () => {
  it('compiles every schema and lists full first for every resource', () => {
    const registry = buildRegistry();
    for (const name of Object.keys(DEFINITIONS) as (keyof typeof DEFINITIONS)[]) {
      expect(registry.resource(name).offers[0]).toBe(FULL);
    }
  });

  it.each(Object.entries(SCHEMA_FILES))('declares %s as draft 2020-12 with no object open to unknown fields', (_file, schema) => {
    expect((schema as { $schema: string }).$schema).toBe(DRAFT_2020_12);
    const objects = objectSchemas(schema);
    expect(objects.length).toBeGreaterThan(0);
    for (const [pointer, node] of objects) {
      // Records (country → clicks) constrain their values with a schema; every other object is closed.
      const closed = node.additionalProperties === false || (node.properties === undefined && typeof node.additionalProperties === 'object');
      if (!closed) throw new Error(`${pointer} accepts unknown fields`);
    }
  });

  it('refuses to build when a schema does not compile', () => {
    const broken = { ...SCHEMA_FILES, 'link/summary.schema.json': { ...SCHEMA_FILES['link/summary.schema.json'], type: 'not-a-type' } };
    expect(() => buildRegistry(broken)).toThrow();
  });

  it('refuses to build when a representation names a schema that does not exist', () => {
    const definitions = { ...DEFINITIONS, link: [{ ...DEFINITIONS.link[0]!, schema: 'link/missing.schema.json' }] };
    expect(() => buildRegistry(SCHEMA_FILES, definitions as never)).toThrow(/unknown schema/);
  });

  it('changes its fingerprint when a schema changes, so every ETag changes with it', () => {
    const edited = { ...SCHEMA_FILES, 'link/full.schema.json': { ...SCHEMA_FILES['link/full.schema.json'], description: 'edited' } };
    expect(buildRegistry(edited).fingerprint).not.toBe(buildRegistry().fingerprint);
    expect(buildRegistry().fingerprint).toBe(buildRegistry().fingerprint);
  });

  it('changes its fingerprint when a helper a shaper calls changes, though no shaper\'s own text does', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-representations-'));
    try {
      fs.cpSync(path.join(__dirname, '..', '..', 'representations'), copy, { recursive: true });
      const before = buildRegistry(SCHEMA_FILES, DEFINITIONS, { sourceDir: copy }).fingerprint;
      expect(buildRegistry(SCHEMA_FILES, DEFINITIONS, { sourceDir: copy }).fingerprint).toBe(before);
      const helper = path.join(copy, 'context.ts');
      fs.writeFileSync(helper, fs.readFileSync(helper, 'utf8').replace('/ 1000', '/ 1000 + 0'));
      expect(buildRegistry(SCHEMA_FILES, DEFINITIONS, { sourceDir: copy }).fingerprint).not.toBe(before);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('shapes are allow-lists: a link with extra fields produces only the schema’s fields', () => {
    const registry = buildRegistry();
    const link = {
      rowId: 1, code: 'abc', ownerId: 'usr_secret', url: 'https://example.org/', title: null, tags: [],
      createdAt: new Date(0), updatedAt: new Date(0), expiresAt: null, version: 1, clickCount: 0, secret: 'x',
    };
    for (const type of registry.resource('link').offers) {
      const rep = registry.resource('link').get(type);
      const body = rep.shape(link, { baseUrl: 'http://localhost:3000', now: new Date(0) });
      expect(rep.validate(body)).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/usr_secret|"secret"/);
    }
  });
});

describe('representation folders', () => {
  const root = path.join(__dirname, '../../representations');

  it('register every representation schema in a folder, and declare each with the schema file it names (sparse schemas are derived: sparse-schemas.test.ts)', () => {
    const onDisk = fs.readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !['problem', 'link-input', 'sign-in'].includes(d.name))
      .flatMap((d) => fs.readdirSync(path.join(root, d.name)).filter((f) => f.endsWith('.schema.json') && !f.endsWith(SPARSE_SUFFIX)).map((f) => `${d.name}/${f}`));
    const definitions: readonly RepresentationDefinition<never, unknown>[] = Object.values(DEFINITIONS).flat();
    expect(definitions.map((d) => d.schema).sort()).toEqual([...onDisk].sort());
    for (const def of definitions) expect(def.document).toEqual(JSON.parse(fs.readFileSync(path.join(root, def.schema), 'utf8')));
  });

  it('declare what their routes load next to the schema: page sizes, time windows, dashboard sizes', () => {
    const registry = buildRegistry();
    expect(registry.resource('link-page').offers.map((t) => registry.resource('link-page').get(t).needs.pageSize)).toEqual([50, 20, 25, 25]);
    expect(registry.resource('link-stats').offers.map((t) => registry.resource('link-stats').get(t).needs.days)).toEqual([30, 30, 30, 30]);
    expect(registry.resource('dashboard').get(FULL).needs).toEqual({ links: 50, analyticsDays: 30 });
    expect(registry.resource('dashboard').get(SUMMARY).needs).toEqual({ links: 10, analyticsDays: null });
  });

  it('are type-checked: a shaper of another resource does not satisfy a definition (npm run typecheck)', () => {
    const wrong = {
      type: FULL,
      schema: 'link/full.schema.json',
      document: {},
      // @ts-expect-error a page's shaping function cannot represent a link
      shape: shapeLinkPageFull,
      needs: {},
    } satisfies RepresentationDefinition<Link>;
    expect(wrong.type).toBe(FULL);
  });
});
