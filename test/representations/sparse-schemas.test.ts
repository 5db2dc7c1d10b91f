import fs from 'node:fs';
import path from 'node:path';
import { projectFields, parseFields, schemaFieldPaths } from '../../representations/fields';
import { buildRegistry, DEFINITIONS, SCHEMA_FILES, takesFields } from '../../representations/registry';
import type { RepresentationDefinition } from '../../representations/registry';
import { sparseFileOf, sparseSchemaFiles, SPARSE_SUFFIX } from '../../representations/sparse';
import { withoutRequired } from '../helpers/relaxed-schema';
import { FIXED_NOW } from '../helpers/test-app';

/**
 * The sparse schemas (representations/sparse.ts) against the representations they are derived
 * from. openapi.yaml `$ref`s their copies on disk; after changing a representation schema, write
 * them again with `WRITE_SPARSE_SCHEMAS=1 npx jest test/representations/sparse-schemas.test.ts`.
 */
const ROOT = path.join(__dirname, '../../representations');
const WRITE = process.env.WRITE_SPARSE_SCHEMAS === '1';

const definitions: readonly RepresentationDefinition<never, unknown>[] = Object.values(DEFINITIONS).flat();
const selectable = definitions.filter(takesFields);
const sparseFiles = Object.keys(SCHEMA_FILES).filter((file) => file.endsWith(SPARSE_SUFFIX));
const registry = buildRegistry();
const BASE = 'https://facet.example/representations/';

/** The bytes a sparse schema file holds: what the service serves, and a final newline. */
const bytesOf = (schema: object) => `${JSON.stringify(schema, null, 2)}\n`;

/** A schema's `$ref`s, anywhere in it. */
function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

/** Whether `required` appears as a keyword anywhere (member names under `properties` are not keywords). */
function hasRequired(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasRequired);
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => key === 'required'
    || (key === 'properties' ? Object.values(value as object).some(hasRequired) : hasRequired(value)));
}

/** A schema with the annotations sparse.ts writes at its top removed and its `$ref`s renamed as `rename` says. */
function comparable(schema: object, rename: (ref: string) => string): unknown {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === '$ref' ? rename(value as string) : strip(value)]));
  };
  const { $comment: _comment, title: _title, description: _description, ...rest } = schema as Record<string, unknown>;
  return strip(rest);
}

describe('sparse schemas', () => {
  it('exist for every representation that takes ?fields= (summary and full), and for no other', () => {
    expect(selectable.length).toBeGreaterThan(0);
    const frozen = ['application/vnd.example.partner.v3+json', 'application/vnd.example.partner.v4+json'];
    expect(definitions.filter((d) => !takesFields(d)).every((d) => frozen.includes(d.type))).toBe(true);
    expect([...sparseFiles].sort()).toEqual(selectable.map((d) => sparseFileOf(d.schema)).sort());
  });

  it.each(selectable.map((d) => [d.schema, d] as const))('%s: its sparse schema is the schema without required at any depth (the tests\' withoutRequired), $refs naming sparse schemas', (file, def) => {
    const sparse = SCHEMA_FILES[sparseFileOf(file)]!;
    expect(hasRequired(sparse)).toBe(false);
    expect(comparable(sparse, (ref) => ref)).toEqual(comparable(withoutRequired(def.document) as object, (ref) => sparseFileOf(ref)));
    for (const ref of refsIn(sparse)) expect(ref.endsWith(SPARSE_SUFFIX)).toBe(true);
    expect((sparse as { $comment: string }).$comment).toContain(file.split('/').pop());
  });

  it.each(selectable.map((d) => [d.schema] as const))('%s: its sparse schema allows exactly the member paths ?fields= may name', (file) => {
    const resolve = (ref: string, from: string) => {
      const target = new URL(ref, BASE + from).href.slice(BASE.length);
      return { file: target, schema: SCHEMA_FILES[target]! };
    };
    expect(schemaFieldPaths(SCHEMA_FILES[sparseFileOf(file)]!, sparseFileOf(file), resolve)).toEqual(schemaFieldPaths(SCHEMA_FILES[file]!, file, resolve));
  });

  it('compile in the registry and accept whole answers and their projections, refusing members, types and values the representation refuses', () => {
    const link = {
      rowId: 1, code: 'facet', ownerId: 'usr_ada', url: 'https://example.org/', title: 'Example', tags: ['docs'],
      createdAt: FIXED_NOW, updatedAt: FIXED_NOW, expiresAt: null, version: 1, clickCount: 3,
    };
    const links = registry.resource('link');
    for (const type of links.offers.filter((t) => takesFields({ type: t }))) {
      const rep = links.get(type);
      const sparse = registry.validator(sparseFileOf(rep.schema));
      const whole = rep.shape(link, { baseUrl: 'http://localhost:3000', now: FIXED_NOW }) as Record<string, unknown>;
      expect(sparse(whole)).toBe(true);
      for (const field of rep.fields!) {
        const outcome = parseFields(field, rep.fields!);
        if (!outcome.ok) throw new Error(field);
        const part = projectFields(whole, outcome.selection.tree);
        expect({ field, sparse: sparse(part), whole: rep.validate(part) }).toEqual({ field, sparse: true, whole: false });
      }
      expect(sparse({})).toBe(true);
      expect(sparse({ ...whole, secret: 'x' })).toBe(false);
      expect(sparse({ code: 42 })).toBe(false);
      expect(sparse({ shortUrl: 'not a uri' })).toBe(false);
    }
    // A sparse page holds sparse links: a link without its code is a valid element of a sparse page.
    expect(registry.validator('link-page/full.sparse.schema.json')({ items: [{ clicks: 1 }] })).toBe(true);
    expect(registry.validator('link-page/full.sparse.schema.json')({ items: [{ clicks: -1 }] })).toBe(false);
  });

  it('refuse to be derived from a schema that $refs a file the registry does not hold', () => {
    const broken = { 'a/full.schema.json': { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { b: { $ref: '../b/missing.schema.json' } } } };
    expect(() => sparseSchemaFiles(broken, ['a/full.schema.json'])).toThrow(/b\/missing\.schema\.json/);
  });

  it('are on disk beside their representation, byte for byte what sparse.ts derives (WRITE_SPARSE_SCHEMAS=1 writes them)', () => {
    if (WRITE) {
      for (const file of sparseFiles) fs.writeFileSync(path.join(ROOT, file), bytesOf(SCHEMA_FILES[file]!));
    }
    const onDisk = fs.readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/')).filter((f) => f.endsWith(SPARSE_SUFFIX));
    expect({ stray: onDisk.filter((f) => !sparseFiles.includes(f)), missing: sparseFiles.filter((f) => !onDisk.includes(f)) }).toEqual({ stray: [], missing: [] });
    const drifted = sparseFiles.filter((file) => fs.readFileSync(path.join(ROOT, file), 'utf8') !== bytesOf(SCHEMA_FILES[file]!));
    if (drifted.length > 0) {
      throw new Error(`${drifted.join(', ')} differ from what representations/sparse.ts derives: run WRITE_SPARSE_SCHEMAS=1 npx jest test/representations/sparse-schemas.test.ts`);
    }
  });
});
