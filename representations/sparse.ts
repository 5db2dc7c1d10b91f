/**
 * Sparse schemas: what a `?fields=` answer of a representation is. A selection may leave out any
 * member at any depth (fields.ts projects the body), so a sparse answer is the representation's
 * schema with no `required` anywhere — every type, format, enum and closed object kept — and every
 * `$ref` naming the sparse schema of the file it named (a sparse page holds sparse links).
 *
 * They are derived here from the representation schemas, never written by hand: the registry
 * compiles and serves them beside their representation (`link/full.sparse.schema.json`), so a new
 * representation gets its sparse schema from its folder alone. The copies on disk exist for
 * openapi.yaml's `$ref`s (Redocly and offline validators read files); a test fails when one differs
 * from what this module derives, and writes them when asked (test/representations/sparse-schemas.test.ts).
 */

/** A representation schema `<folder>/<name>.schema.json` has its sparse schema at `<folder>/<name>.sparse.schema.json`. */
export const SPARSE_SUFFIX = '.sparse.schema.json';
const SCHEMA_SUFFIX = '.schema.json';

/** The sparse schema file of a representation schema file (`link/full.schema.json` → `link/full.sparse.schema.json`). */
export function sparseFileOf(file: string): string {
  if (!file.endsWith(SCHEMA_SUFFIX) || file.endsWith(SPARSE_SUFFIX)) throw new Error(`${file} is not a representation schema file`);
  return file.slice(0, -SCHEMA_SUFFIX.length) + SPARSE_SUFFIX;
}

/** Resolves a relative `$ref` of schema file `from` (both relative to representations/) to the file it names. */
export function resolveSchemaFile(from: string, ref: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const segment of ref.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.') parts.push(segment);
  }
  return parts.join('/');
}

type Json = unknown;

/** Keywords whose value is an instance, not a schema: copied as they are. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
/** Keywords whose value maps names to schemas. */
const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

/**
 * A deep copy of `node` without any `required` keyword, each `$ref` to a schema file renamed to
 * that file's sparse schema (the same relative path, `.sparse.schema.json`); the files reached are
 * added to `reached`. A `$ref` within a file (`#/…`) is kept.
 */
function relax(node: Json, from: string, reached: Set<string>): Json {
  if (Array.isArray(node)) return node.map((item) => relax(item, from, reached));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required') continue;
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
      reached.add(resolveSchemaFile(from, value.split('#')[0]!));
      out[key] = sparseFileOf(value.split('#')[0]!) + (value.includes('#') ? value.slice(value.indexOf('#')) : '');
      continue;
    }
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    // Member names are data, not keywords: a property called `required` is kept.
    else if (NAMED_SCHEMAS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Json>).map(([name, child]) => [name, relax(child, from, reached)]));
    } else out[key] = relax(value, from, reached);
  }
  return out;
}

/** The sparse schema of one representation schema: relaxed, titled as such, naming its source. */
function sparseOf(file: string, schema: Record<string, Json>, reached: Set<string>): Record<string, Json> {
  const { $schema, title, description, ...body } = relax(schema, file, reached) as Record<string, Json>;
  const name = file.split('/').pop()!;
  const whole = typeof description === 'string' ? ` The whole representation: ${description}` : '';
  return {
    $schema,
    $comment: `Derived from ${name} by representations/sparse.ts; do not edit: change ${name}, then run WRITE_SPARSE_SCHEMAS=1 npx jest test/representations/sparse-schemas.test.ts.`,
    title: `${typeof title === 'string' ? title : name}, sparse (?fields=)`,
    description: `Any ?fields= selection of ${name}: the same members, types and closed objects, none required at any depth.${whole}`,
    ...body,
  };
}

/**
 * The sparse schema of every representation that takes `?fields=` (`selectable`, files under
 * representations/) and of every representation schema they `$ref`, keyed by file, in a stable order.
 * Throws when a `$ref` names a file `schemas` does not hold.
 */
export function sparseSchemaFiles(schemas: Record<string, object>, selectable: readonly string[]): Record<string, object> {
  const out: Record<string, object> = {};
  const pending = [...selectable];
  while (pending.length > 0) {
    const file = pending.shift()!;
    const target = sparseFileOf(file);
    if (target in out) continue;
    const schema = schemas[file];
    if (!schema) throw new Error(`no schema ${file} to derive ${target} from`);
    const reached = new Set<string>();
    out[target] = sparseOf(file, schema as Record<string, Json>, reached);
    pending.push(...[...reached].sort());
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
