import { createHash } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FULL, PARTNER_V3, SUMMARY } from './media-types';
import { SCHEMA_FILES } from './schema-files';
import { fingerprintSources } from './source-fingerprint';
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
import type { LinkStats } from '../src/domain/analytics';
import type { Dashboard } from '../src/domain/dashboard';
import type { Team } from '../src/domain/types';
import type { MeEntity } from './me/me';
import { shapeLinkStatsFull } from './link-stats/full';
import { shapeLinkStatsSummary } from './link-stats/summary';
import { shapeLinkStatsPartnerV3 } from './link-stats/partner-v3';
import { shapeMeFull } from './me/full';
import { shapeMeSummary } from './me/summary';
import { shapeMePartnerV3 } from './me/partner-v3';
import { shapeTeamFull } from './team/full';
import { shapeTeamSummary } from './team/summary';
import { shapeDashboardFull } from './dashboard/full';
import { shapeDashboardSummary } from './dashboard/summary';


export { SCHEMA_FILES };

/** Base URI the schema files are keyed under (they are served at `/representations/<file>`). */
const SCHEMA_BASE = 'https://facet.example/representations/';

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
  'link-stats': [
    { type: FULL, schema: 'link-stats/full.schema.json', shape: shapeLinkStatsFull },
    { type: SUMMARY, schema: 'link-stats/summary.schema.json', shape: shapeLinkStatsSummary },
    { type: PARTNER_V3, schema: 'link-stats/partner-v3.schema.json', shape: shapeLinkStatsPartnerV3 },
  ] as RepresentationDefinition<LinkStats>[],
  me: [
    { type: FULL, schema: 'me/full.schema.json', shape: shapeMeFull },
    { type: SUMMARY, schema: 'me/summary.schema.json', shape: shapeMeSummary },
    { type: PARTNER_V3, schema: 'me/partner-v3.schema.json', shape: shapeMePartnerV3 },
  ] as RepresentationDefinition<MeEntity>[],
  // Teams and the dashboard are first-party only: partner.v3 answers 406.
  team: [
    { type: FULL, schema: 'team/full.schema.json', shape: shapeTeamFull },
    { type: SUMMARY, schema: 'team/summary.schema.json', shape: shapeTeamSummary },
  ] as RepresentationDefinition<Team>[],
  dashboard: [
    { type: FULL, schema: 'dashboard/full.schema.json', shape: shapeDashboardFull },
    { type: SUMMARY, schema: 'dashboard/summary.schema.json', shape: shapeDashboardSummary },
  ] as RepresentationDefinition<Dashboard>[],
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
  /** Changes when any file under representations/ (shaper, helper, schema) changes; part of every ETag. */
  fingerprint: string;
}

/**
 * Compiles every schema once; throws (so the service refuses to start) if one fails to compile
 * or a definition names a schema that does not exist.
 */
export function buildRegistry(
  schemas: Record<string, object> = SCHEMA_FILES,
  definitions: Record<ResourceName, RepresentationDefinition<never>[]> = DEFINITIONS,
  options: { sourceDir?: string } = {},
): Registry {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // RFC 3987 IRIs (link targets with internationalised hosts): an annotation, as formats are in
  // 2020-12; the schema's pattern and the domain's URL policy decide what is accepted.
  ajv.addFormat('iri', true);
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
  const resources = new Map<ResourceName, ResourceRepresentations<unknown>>();
  for (const [name, defs] of Object.entries(definitions) as [ResourceName, RepresentationDefinition<never>[]][]) {
    const compiled = new Map<VendorType, Representation<unknown>>();
    for (const def of defs) {
      const validate = validators.get(def.schema);
      if (!validate) throw new Error(`representation ${name} ${def.type} names unknown schema ${def.schema}`);
      compiled.set(def.type, { ...def, resource: name, validate } as Representation<unknown>);
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
