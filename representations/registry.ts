import { createHash } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FULL, PARTNER_V3, SUMMARY } from './media-types';
import type { VendorType } from './media-types';
import type { ShapeContext } from './context';
import type { Link } from '../src/domain/types';
import type { LinkPage } from './link-page/page';
import { shapeLinkFull } from './link/full';
import { shapeLinkSummary } from './link/summary';
import { shapeLinkPartnerV3 } from './link/partner-v3';
import { shapeLinkPageFull } from './link-page/full';
import { shapeLinkPageSummary } from './link-page/summary';
import { shapeLinkPagePartnerV3 } from './link-page/partner-v3';
import linkFull from './link/full.schema.json';
import linkSummary from './link/summary.schema.json';
import linkPartnerV3 from './link/partner-v3.schema.json';
import linkPageFull from './link-page/full.schema.json';
import linkPageSummary from './link-page/summary.schema.json';
import linkPagePartnerV3 from './link-page/partner-v3.schema.json';
import problem from './problem/problem.schema.json';
import linkCreate from './link-input/create.schema.json';
import linkPartnerV3Create from './link-input/partner-v3-create.schema.json';
import linkUpdate from './link-input/update.schema.json';
import linkPartnerV3Update from './link-input/partner-v3-update.schema.json';

/** Every JSON Schema file, keyed by its path under representations/ (the path openapi.yaml uses). */
export const SCHEMA_FILES: Record<string, object> = {
  'link/full.schema.json': linkFull,
  'link/summary.schema.json': linkSummary,
  'link/partner-v3.schema.json': linkPartnerV3,
  'link-page/full.schema.json': linkPageFull,
  'link-page/summary.schema.json': linkPageSummary,
  'link-page/partner-v3.schema.json': linkPagePartnerV3,
  'problem/problem.schema.json': problem,
  'link-input/create.schema.json': linkCreate,
  'link-input/partner-v3-create.schema.json': linkPartnerV3Create,
  'link-input/update.schema.json': linkUpdate,
  'link-input/partner-v3-update.schema.json': linkPartnerV3Update,
};

/** One representation of a resource: its media type, schema file and pure shaping function. */
export interface RepresentationDefinition<E> {
  type: VendorType;
  schema: string;
  shape: (entity: E, ctx: ShapeContext) => unknown;
}

/** The registry: per resource its representations, the default (full) first. */
export const DEFINITIONS = {
  link: [
    { type: FULL, schema: 'link/full.schema.json', shape: shapeLinkFull },
    { type: SUMMARY, schema: 'link/summary.schema.json', shape: shapeLinkSummary },
    { type: PARTNER_V3, schema: 'link/partner-v3.schema.json', shape: shapeLinkPartnerV3 },
  ] as RepresentationDefinition<Link>[],
  'link-page': [
    { type: FULL, schema: 'link-page/full.schema.json', shape: shapeLinkPageFull },
    { type: SUMMARY, schema: 'link-page/summary.schema.json', shape: shapeLinkPageSummary },
    { type: PARTNER_V3, schema: 'link-page/partner-v3.schema.json', shape: shapeLinkPagePartnerV3 },
  ] as RepresentationDefinition<LinkPage>[],
};

/** Schemas of request bodies and of problem details, by purpose. */
export const OTHER_SCHEMAS = {
  problem: 'problem/problem.schema.json',
  linkCreate: 'link-input/create.schema.json',
  linkPartnerV3Create: 'link-input/partner-v3-create.schema.json',
  linkUpdate: 'link-input/update.schema.json',
  linkPartnerV3Update: 'link-input/partner-v3-update.schema.json',
} as const;

export type ResourceName = keyof typeof DEFINITIONS;
type EntityOf<R extends ResourceName> = (typeof DEFINITIONS)[R] extends RepresentationDefinition<infer E>[] ? E : never;

/** A compiled representation. */
export interface Representation<E> extends RepresentationDefinition<E> {
  resource: ResourceName;
  validate: ValidateFunction;
}

/** A resource's compiled representations and its offer list for negotiation. */
export interface ResourceRepresentations<E> {
  name: ResourceName;
  offers: VendorType[];
  get(type: VendorType): Representation<E>;
}

/** The compiled registry the service runs on. */
export interface Registry {
  resource<R extends ResourceName>(name: R): ResourceRepresentations<EntityOf<R>>;
  validator(schemaFile: string): ValidateFunction;
  schemas: Record<string, object>;
  /** Changes when any schema or shaping function changes; part of every ETag. */
  fingerprint: string;
}

/**
 * Compiles every schema once; throws (so the service refuses to start) if one fails to compile
 * or a definition names a schema that does not exist.
 */
export function buildRegistry(
  schemas: Record<string, object> = SCHEMA_FILES,
  definitions: Record<ResourceName, RepresentationDefinition<never>[]> = DEFINITIONS,
): Registry {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const validators = new Map<string, ValidateFunction>();
  const hash = createHash('sha256');
  for (const [file, schema] of Object.entries(schemas)) {
    const id = (schema as { $id?: string }).$id;
    const validate = id ? ajv.getSchema(id) : undefined;
    if (!validate) throw new Error(`representation schema ${file} has no $id or did not compile`);
    validators.set(file, validate);
    hash.update(file).update(JSON.stringify(schema));
  }
  const resources = new Map<ResourceName, ResourceRepresentations<unknown>>();
  for (const [name, defs] of Object.entries(definitions) as [ResourceName, RepresentationDefinition<never>[]][]) {
    const compiled = new Map<VendorType, Representation<unknown>>();
    for (const def of defs) {
      const validate = validators.get(def.schema);
      if (!validate) throw new Error(`representation ${name} ${def.type} names unknown schema ${def.schema}`);
      compiled.set(def.type, { ...def, resource: name, validate } as Representation<unknown>);
      hash.update(def.shape.toString());
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
