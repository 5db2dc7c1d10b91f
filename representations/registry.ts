import { createHash } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FROZEN } from './media-types';
import { fingerprintSources } from './source-fingerprint';
import type { VendorType } from './media-types';
import { OTHER_SCHEMA_FILES } from './schema-files';
import { sparseSchemaFiles } from './sparse';
import { schemaFieldPaths } from './fields';
import type { RefResolver } from './fields';
import type { RepresentationDefinition, ResourceDefinition } from './definition';
import { dashboard } from './dashboard';
import { link } from './link';
import { linkPage } from './link-page';
import { linkStats } from './link-stats';
import { me } from './me';
import { team } from './team';

export type { RepresentationDefinition };

/** Base URI the schema files are keyed under (they are served at `/representations/<file>`). */
const SCHEMA_BASE = 'https://facet.example/representations/';

/**
 * The registry: per resource (a folder of representations/ whose index.ts lists them) its
 * representations, the default (full) first. A representation is added in its folder alone.
 */
export const DEFINITIONS = {
  link,
  'link-page': linkPage,
  'link-stats': linkStats,
  me,
  team,
  dashboard,
};

/** Whether a representation takes `?fields=`: a frozen contract (partner.v3, partner.v4) is answered whole or not at all. */
export const takesFields = (def: { type: VendorType }): boolean => !FROZEN.has(def.type);

const REPRESENTATION_DEFINITIONS: readonly RepresentationDefinition<never, unknown>[] = Object.values(DEFINITIONS).flat();
const REPRESENTATION_FILES: Record<string, object> = Object.fromEntries(REPRESENTATION_DEFINITIONS.map((d) => [d.schema, d.document]));

/**
 * Every JSON Schema file, keyed by its path under representations/ (the path openapi.yaml uses):
 * the representations', the sparse schema of each that takes `?fields=` (derived: sparse.ts), the others.
 */
export const SCHEMA_FILES: Record<string, object> = {
  ...REPRESENTATION_FILES,
  ...sparseSchemaFiles(REPRESENTATION_FILES, REPRESENTATION_DEFINITIONS.filter(takesFields).map((d) => d.schema)),
  ...OTHER_SCHEMA_FILES,
};

/** Schemas of request bodies and of problem details, by purpose. */
export const OTHER_SCHEMAS = {
  problem: 'problem/problem.schema.json',
  linkCreate: 'link-input/create.schema.json',
  linkPartnerV3Create: 'link-input/partner-v3-create.schema.json',
  linkUpdate: 'link-input/update.schema.json',
  linkPartnerV3Update: 'link-input/partner-v3-update.schema.json',
  linkPartnerV4Create: 'link-input/partner-v4-create.schema.json',
  linkPartnerV4Update: 'link-input/partner-v4-update.schema.json',
  accountCreate: 'sign-in/account-create.schema.json',
  credentials: 'sign-in/credentials.schema.json',
  passwordChange: 'sign-in/password-change.schema.json',
  session: 'sign-in/session.schema.json',
  tokenResponse: 'sign-in/token-response.schema.json',
  oauthError: 'sign-in/oauth-error.schema.json',
} as const;

export type ResourceName = keyof typeof DEFINITIONS;
type EntityOf<R extends ResourceName> = (typeof DEFINITIONS)[R] extends ResourceDefinition<infer E, unknown> ? E : never;
type NeedsOf<R extends ResourceName> = (typeof DEFINITIONS)[R] extends ResourceDefinition<never, infer N> ? N : never;

/** A compiled representation. */
export interface Representation<E, N = unknown> extends RepresentationDefinition<E, N> {
  resource: ResourceName;
  validate: ValidateFunction;
  /** The paths `?fields=` may name, from the schema; null: the representation takes no `fields`. */
  fields: ReadonlySet<string> | null;
}

/** A resource's compiled representations and its offer list for negotiation. */
export interface ResourceRepresentations<E, N = unknown> {
  name: ResourceName;
  offers: VendorType[];
  get(type: VendorType): Representation<E, N>;
}

/** The compiled registry the service runs on. */
export interface Registry {
  resource<R extends ResourceName>(name: R): ResourceRepresentations<EntityOf<R>, NeedsOf<R>>;
  validator(schemaFile: string): ValidateFunction;
  schemas: Record<string, object>;
  /** Changes when any file under representations/ (shaper, helper, schema) changes; part of every ETag. */
  fingerprint: string;
}

/** Resolves a relative `$ref` between schema files the way ajv does (by their served URLs). */
function resolveIn(schemas: Record<string, object>): RefResolver {
  return (ref, from) => {
    const file = new URL(ref, SCHEMA_BASE + from).href.slice(SCHEMA_BASE.length);
    const schema = schemas[file];
    if (ref.includes('#') || !schema) throw new Error(`${from}: $ref ${ref} does not name a schema file`);
    return { file, schema };
  };
}

/** The ajv every representation schema is compiled with (tests compiling variants use it too). */
export function createSchemaCompiler(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // RFC 3987 IRIs (link targets with internationalised hosts): an annotation, as formats are in
  // 2020-12; the schema's pattern and the domain's URL policy decide what is accepted.
  ajv.addFormat('iri', true);
  return ajv;
}

/**
 * Compiles every schema once; throws (so the service refuses to start) if one fails to compile
 * or a definition names a schema that does not exist.
 */
export function buildRegistry(
  schemas: Record<string, object> = SCHEMA_FILES,
  definitions: Record<ResourceName, ResourceDefinition<never, unknown>> = DEFINITIONS,
  options: { sourceDir?: string } = {},
): Registry {
  const ajv = createSchemaCompiler();
  // Schemas carry no $id: each is keyed by its served URL, so their relative $refs
  // (`../link/full.schema.json`) resolve the same for ajv, for openapi.yaml and over HTTP.
  for (const [file, schema] of Object.entries(schemas)) ajv.addSchema(schema, SCHEMA_BASE + file);
  const validators = new Map<string, ValidateFunction>();
  // shape.toString() would miss the helpers a shaper calls: the files themselves are hashed.
  const hash = createHash('sha256').update(fingerprintSources(options.sourceDir ?? __dirname));
  for (const [file, schema] of Object.entries(schemas)) {
    const validate = ajv.getSchema(SCHEMA_BASE + file);
    if (!validate) throw new Error(`representation schema ${file} did not compile`);
    validators.set(file, validate);
    hash.update(file).update(JSON.stringify(schema));
  }
  const resources = new Map<ResourceName, ResourceRepresentations<never, unknown>>();
  for (const [name, defs] of Object.entries(definitions) as [ResourceName, ResourceDefinition<never, unknown>][]) {
    const compiled = new Map<VendorType, Representation<never, unknown>>();
    for (const def of defs) {
      const validate = validators.get(def.schema);
      if (!validate) throw new Error(`representation ${name} ${def.type} names unknown schema ${def.schema}`);
      const fields = takesFields(def) ? new Set(schemaFieldPaths(schemas[def.schema]!, def.schema, resolveIn(schemas))) : null;
      compiled.set(def.type, { ...def, resource: name, validate, fields } satisfies Representation<never, unknown>);
      hash.update(JSON.stringify(def.needs));
    }
    resources.set(name, {
      name,
      offers: defs.map((d) => d.type),
      get(type) {
        const rep = compiled.get(type);
        if (!rep) throw new Error(`resource ${name} has no representation ${type}`);
        return rep;
      },
    });
  }
  return {
    // The one cast: the map holds every resource; DEFINITIONS' type says which entity each takes.
    resource: (name) => resources.get(name) as never,
    validator(file) {
      const v = validators.get(file);
      if (!v) throw new Error(`no schema ${file}`);
      return v;
    },
    schemas,
    fingerprint: hash.digest('base64url').slice(0, 10),
  };
}
