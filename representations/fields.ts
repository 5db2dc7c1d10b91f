/** Sparse fieldsets (`?fields=a,b.c`): the paths a schema allows, a parsed selection, and the projection. */

/** A selection as a tree: a member kept whole (true) or the members kept inside it. */
export type FieldTree = ReadonlyMap<string, FieldTree | true>;

/** A parsed, normalised selection: its tree and a canonical key (sorted, deduplicated, covered paths dropped). */
export interface FieldSelection {
  key: string;
  tree: FieldTree;
}

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Resolves a `$ref` found in `file` to the schema file it names, relative to it. */
export type RefResolver = (ref: string, file: string) => { file: string; schema: object };

const MAX_DEPTH = 16;

/**
 * Every member path of a representation's schema, dotted (`links.link.code`): the members of each
 * object (`properties`), those of array elements as if the array were the object (`items`), and
 * those of other schema files reached by `$ref`. Open records (countries → clicks) end a path.
 */
export function schemaFieldPaths(schema: object, file: string, resolve: RefResolver): string[] {
  const paths: string[] = [];
  const walk = (node: SchemaNode, from: string, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new Error(`${file}: schema nested deeper than ${MAX_DEPTH} levels at ${prefix}`);
    if (node.$ref !== undefined) {
      const target = resolve(node.$ref, from);
      walk(target.schema, target.file, prefix, depth + 1);
    }
    if (node.items !== undefined) walk(node.items, from, prefix, depth + 1);
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      paths.push(path);
      walk(child, from, path, depth + 1);
    }
  };
  walk(schema, file, '', 0);
  return [...new Set(paths)];
}

/** At most this many paths in one selection: enough for any representation, bounded work for a crafted query. */
export const MAX_FIELDS = 64;

/** Why a selection was refused: unknown paths (named), or an empty or oversized list. */
export type FieldsOutcome = { ok: true; selection: FieldSelection } | { ok: false; unknown: string[]; reason: 'unknown' | 'empty' | 'too-many' };

/**
 * Parses `a,b.c` against the allowed paths. The selection is normalised so that every spelling of
 * the same choice (order, repeats, `links,links.link`) has one key, hence one ETag and one cache entry.
 */
export function parseFields(raw: string, allowed: ReadonlySet<string>): FieldsOutcome {
  const named = [...new Set(raw.split(',').map((p) => p.trim()).filter((p) => p !== ''))];
  if (named.length === 0) return { ok: false, unknown: [], reason: 'empty' };
  if (named.length > MAX_FIELDS) return { ok: false, unknown: [], reason: 'too-many' };
  const unknown = named.filter((p) => !allowed.has(p));
  if (unknown.length > 0) return { ok: false, unknown, reason: 'unknown' };
  const sorted = named.sort();
  // Sorted, a path's ancestors come before it: `links` covers `links.link.code`.
  const kept = sorted.filter((p) => !sorted.some((q) => p.startsWith(`${q}.`)));
  const tree = new Map<string, Map<string, unknown> | true>();
  for (const path of kept) {
    const names = path.split('.');
    let node = tree;
    names.forEach((name, i) => {
      if (i === names.length - 1) node.set(name, true);
      else {
        let next = node.get(name);
        if (next === undefined || next === true) node.set(name, (next = new Map()));
        node = next as typeof tree;
      }
    });
  }
  return { ok: true, selection: { key: kept.join(','), tree: tree as FieldTree } };
}

/**
 * Keeps only the selected members of a shaped body, in the body's own order: inside every element
 * of an array, and leaving a null (a degraded section, an absent profile) null. Pure.
 */
export function projectFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((element) => projectFields(element, tree));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const selected = tree.get(name);
    if (selected !== undefined) out[name] = selected === true ? member : projectFields(member, selected);
  }
  return out;
}
