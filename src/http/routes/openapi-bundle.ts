import { parse } from 'yaml';
import { resolveSchemaFile } from '../../../representations/sparse';

const PREFIX = 'representations/';

/** A deep copy of `node` with every `$ref` to a schema file replaced by the file's content. */
function inline(node: unknown, schemas: Record<string, object>, fromFile: string | null): unknown {
  if (Array.isArray(node)) return node.map((item) => inline(item, schemas, fromFile));
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && !ref.startsWith('#')) {
    const file = fromFile === null ? ref.replace(PREFIX, '') : resolveSchemaFile(fromFile, ref);
    const schema = schemas[file];
    if (!schema) throw new Error(`openapi.yaml refers to unknown schema ${ref}`);
    const { $schema: _dialect, ...body } = schema as Record<string, unknown>;
    return inline(body, schemas, file);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value, schemas, fromFile)]));
}

/** openapi.yaml as one JSON document with every representation schema inlined: what the docs page renders. */
export function bundleOpenApi(yamlText: string, schemas: Record<string, object>): object {
  return inline(parse(yamlText), schemas, null) as object;
}
