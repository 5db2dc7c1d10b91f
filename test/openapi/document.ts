import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The contract file at the repository root. */
export const OPENAPI_FILE = path.resolve(__dirname, '../../openapi.yaml');

/** Every `$ref` to a schema file starts with this; the rest is a key of SCHEMA_FILES. */
export const SCHEMA_PREFIX = 'representations/';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The parts of an OpenAPI 3.1 document these tests read. */
export interface MediaTypeObject {
  schema?: Record<string, unknown> & { $ref?: string; anyOf?: { $ref?: string }[] };
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
export interface HeaderObject {
  required?: boolean;
  schema?: { examples?: unknown[]; const?: unknown };
}
/** A Security Requirement Object: scheme name → scopes; `{}` means no credential is needed. */
export type SecurityRequirement = Record<string, string[]>;
interface ParameterObject {
  name: string;
  in: string;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}
interface OperationObject {
  operationId?: string;
  security?: SecurityRequirement[];
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string; bearerFormat?: string }> };
}

/** One documented operation, with its `$ref`s to components resolved. */
export interface Operation {
  /** `METHOD /path`, e.g. `GET /api/links/{code}`. */
  key: string;
  /** As declared on the operation; undefined when it declares none. */
  security?: SecurityRequirement[];
  /** Its own parameters and its path's, resolved, as `in:name` (`header:X-CSRF-Token`). */
  parameters: string[];
  requestBody?: Record<string, MediaTypeObject>;
  /** By status code. */
  responses: Record<string, ResponseObject>;
}

/** One media type of one documented response. */
export interface DocumentedContent {
  /** `METHOD /path status`, for messages. */
  where: string;
  status: number;
  mediaType: string;
  /** The schema file of the whole answer: the `$ref`, or the first of an `anyOf` of schema files. */
  schemaRef: string | undefined;
  /** The sparse schema file of an `anyOf` (a `?fields=` selection), when there is one. */
  sparseRef: string | undefined;
  example: unknown;
  /** Every example given, `example` and the values of `examples`. */
  examples: unknown[];
  /** The whole content map this media type belongs to. */
  siblings: Record<string, MediaTypeObject>;
  headers: Record<string, HeaderObject>;
}

/**
 * The schema files a media type's schema names: one `$ref`, or an `anyOf` of `$ref`s (a 200 that
 * takes `fields`: the whole representation's schema, then its sparse schema). Anything else: [].
 */
export function schemaRefsOf(media: MediaTypeObject | undefined): string[] {
  const schema = media?.schema;
  if (schema?.$ref !== undefined) return [schema.$ref];
  if (Array.isArray(schema?.anyOf) && schema.anyOf.every((s) => typeof s.$ref === 'string' && Object.keys(s).length === 1)) return schema.anyOf.map((s) => s.$ref!);
  return [];
}

/** Reads and parses openapi.yaml. */
export function loadDocument(): OpenApiDocument {
  return parse(fs.readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
}

/** Follows a local `$ref` (`#/components/…`) to what it names; throws when it names nothing. */
export function resolveRef(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local reference: ${ref}`);
  let node: unknown = doc;
  for (const token of ref.slice(2).split('/')) {
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[name];
    if (node === undefined) throw new Error(`unresolvable reference ${ref}`);
  }
  return node;
}

/** The target of a local Reference Object (sibling `description` overrides are not needed here), or the object itself. */
function deref<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  const ref = (value as { $ref?: unknown }).$ref;
  return typeof ref === 'string' && ref.startsWith('#/') ? deref(doc, resolveRef(doc, ref) as T) : (value as T);
}

/** Every operation of every path, with responses and headers resolved. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op) continue;
      const responses: Record<string, ResponseObject> = {};
      for (const [status, value] of Object.entries(op.responses)) {
        const response = deref(doc, value);
        const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, h]) => [name, deref(doc, h)]));
        responses[status] = { ...response, headers };
      }
      const declared = [...((item.parameters ?? []) as NonNullable<OperationObject['parameters']>), ...(op.parameters ?? [])];
      const parameters = declared.map((p) => deref(doc, p) as ParameterObject).map((p) => `${p.in}:${p.name}`);
      operations.push({ key: `${method.toUpperCase()} ${route}`, security: op.security, parameters, requestBody: op.requestBody?.content, responses });
    }
  }
  return operations;
}

/** The examples of a media type: `example` and the values of `examples`. */
export function examplesOf(media: MediaTypeObject): unknown[] {
  return [...(media.example === undefined ? [] : [media.example]), ...Object.values(media.examples ?? {}).map((e) => e.value)];
}

/** Every media type of every documented response. */
export function responseContents(doc: OpenApiDocument): DocumentedContent[] {
  return operationsOf(doc).flatMap((op) =>
    Object.entries(op.responses).flatMap(([status, response]) =>
      Object.entries(response.content ?? {}).map(([mediaType, media]) => ({
        where: `${op.key} ${status}`,
        status: Number(status),
        mediaType,
        schemaRef: schemaRefsOf(media)[0],
        sparseRef: schemaRefsOf(media)[1],
        example: media.example,
        examples: examplesOf(media),
        siblings: response.content ?? {},
        headers: response.headers ?? {},
      })),
    ),
  );
}

/** Every `$ref` value anywhere in the document, components included. */
export function allRefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(allRefs);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : allRefs(value)));
}
