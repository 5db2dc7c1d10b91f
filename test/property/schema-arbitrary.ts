import fc from 'fast-check';

/** The JSON Schema keywords the request schemas use (draft 2020-12, a subset). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minProperties?: number;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  uniqueItems?: boolean;
  description?: string;
}

/** Instants from 1970 to 2200, as RFC 3339 date-times: in the past or in the future of the fixture clock. */
const dateTime = fc.date({ min: new Date(0), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

function ofType(schema: JsonSchema, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null': return fc.constant(null);
    case 'integer': {
      const min = BigInt(schema.minimum ?? Number.MIN_SAFE_INTEGER);
      const max = BigInt(schema.maximum ?? Number.MAX_SAFE_INTEGER);
      return fc.bigInt({ min, max }).map(Number);
    }
    case 'string': {
      const { minLength = 0, maxLength = 64 } = schema;
      const long = (s: string) => s.length >= minLength && s.length <= maxLength;
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter(long);
      if (schema.format === 'date-time') return dateTime;
      return fc.string({ minLength, maxLength: Math.min(maxLength, 64) });
    }
    case 'array': return fc.uniqueArray(arbitraryOf(schema.items ?? {}), { maxLength: schema.maxItems ?? 5, selector: (v) => JSON.stringify(v) });
    case 'object': {
      const properties = schema.properties ?? {};
      const record = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, arbitraryOf(s)]));
      return fc.record(record, { requiredKeys: schema.required ?? [] })
        .filter((o) => Object.keys(o).length >= (schema.minProperties ?? 0));
    }
    default: throw new Error(`no arbitrary for type ${type}`);
  }
}

/** Values a schema admits (closed objects: only declared properties), built from its keywords. */
export function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'string'];
  return fc.oneof(...types.map((type) => ofType(schema, type)));
}

/** A schema with the constraints openapi.yaml states beside its `$ref` merged into the file's properties. */
export function withStatedRules(file: JsonSchema, stated: JsonSchema | undefined): JsonSchema {
  const properties = { ...file.properties };
  for (const [name, extra] of Object.entries(stated?.properties ?? {})) {
    const own = properties[name] ?? {};
    properties[name] = { ...own, ...extra, description: [own.description, extra.description].filter(Boolean).join(' ') };
  }
  return { ...file, properties };
}
