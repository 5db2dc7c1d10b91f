import type { ValidateFunction } from 'ajv';
import type { VendorType } from '../../representations/media-types';
import { createSchemaCompiler, DEFINITIONS, SCHEMA_FILES } from '../../representations/registry';
import type { ResourceName } from '../../representations/registry';

const BASE = 'https://facet.example/representations/';

/** A deep copy of a schema without any `required` keyword: what a sparse body must still satisfy. */
export function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'required').map(([key, value]) => [key, withoutRequired(value)]));
}

let compiled: Map<string, ValidateFunction> | undefined;

/** Every schema file relaxed (so `$ref`s reach relaxed files too), compiled once per test file. */
function relaxedValidators(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = createSchemaCompiler();
  for (const [file, schema] of Object.entries(SCHEMA_FILES)) ajv.addSchema(withoutRequired(schema) as object, BASE + file);
  compiled = new Map(Object.keys(SCHEMA_FILES).map((file) => [file, ajv.getSchema(BASE + file)!]));
  return compiled;
}

/** Validates a sparse body against its representation's schema with `required` relaxed; throws naming the errors. */
export function expectValidSparseBody(resource: ResourceName, type: VendorType, body: unknown): void {
  const defs: readonly { type: VendorType; schema: string }[] = DEFINITIONS[resource];
  const def = defs.find((d) => d.type === type);
  if (!def) throw new Error(`${resource} has no ${type}`);
  const validate = relaxedValidators().get(def.schema)!;
  if (!validate(body)) throw new Error(`sparse body does not match relaxed ${def.schema}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}
