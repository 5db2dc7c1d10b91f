import type { FieldError } from '../../src/domain/errors';
import type { LinkInput } from '../../src/domain/links';
import type { LinkChanges } from '../../src/domain/types';
import { PARTNER_V3, PARTNER_V4 } from '../media-types';
import create from './create.schema.json';
import update from './update.schema.json';
import partnerV3Create from './partner-v3-create.schema.json';
import partnerV3Update from './partner-v3-update.schema.json';
import partnerV4Create from './partner-v4-create.schema.json';
import partnerV4Update from './partner-v4-update.schema.json';
import { readCreate, readPartnerV3Create, readPartnerV3Update, readPartnerV4Create, readPartnerV4Update, readUpdate } from './read';

/**
 * How a request body of one media type is read: its schema (the file's path under representations/
 * and its content, imported so the compiler copies it), its pure reader into domain input, and the
 * names it gives the domain's fields, so a 422 points at the members the client sent.
 */
export interface LinkBodyFormat<T> {
  schema: string;
  document: object;
  read: (body: Record<string, unknown>) => T;
  /** Domain field pointer → the body's pointer for it; absent: the body uses the domain's names. */
  pointers?: Readonly<Record<string, string>>;
}

/** The partner bodies' names for the domain's fields (partner.v4 adds `tags`, named alike). */
const PARTNER_POINTERS: Readonly<Record<string, string>> = { '/url': '/long_url', '/code': '/id', '/expiresAt': '/expires_at' };

const UPDATE: LinkBodyFormat<LinkChanges> = { schema: 'link-input/update.schema.json', document: update, read: readUpdate };

/** `POST /api/links`: the body types it takes, by media type (lower case, no parameters). A new contract's body is a line here. */
export const LINK_CREATE_FORMATS: Readonly<Record<string, LinkBodyFormat<LinkInput>>> = {
  'application/json': { schema: 'link-input/create.schema.json', document: create, read: readCreate },
  [PARTNER_V3]: { schema: 'link-input/partner-v3-create.schema.json', document: partnerV3Create, read: readPartnerV3Create, pointers: PARTNER_POINTERS },
  [PARTNER_V4]: { schema: 'link-input/partner-v4-create.schema.json', document: partnerV4Create, read: readPartnerV4Create, pointers: PARTNER_POINTERS },
};

/** `PATCH /api/links/{code}`: the body types it takes, by media type. */
export const LINK_UPDATE_FORMATS: Readonly<Record<string, LinkBodyFormat<LinkChanges>>> = {
  'application/json': UPDATE,
  'application/merge-patch+json': UPDATE,
  [PARTNER_V3]: { schema: 'link-input/partner-v3-update.schema.json', document: partnerV3Update, read: readPartnerV3Update, pointers: PARTNER_POINTERS },
  [PARTNER_V4]: { schema: 'link-input/partner-v4-update.schema.json', document: partnerV4Update, read: readPartnerV4Update, pointers: PARTNER_POINTERS },
};

/** Every request-body schema file of the two tables, keyed by its path (schema-files.ts lists them from here). */
export const LINK_INPUT_SCHEMA_FILES: Record<string, object> = Object.fromEntries(
  [...Object.values(LINK_CREATE_FORMATS), ...Object.values(LINK_UPDATE_FORMATS)].map((f) => [f.schema, f.document]),
);

/** A domain 422's field errors in the body's own names (`/url` → `/long_url`), the detail's mention too. */
export function inBodyTerms(format: LinkBodyFormat<unknown>, errors: readonly FieldError[]): FieldError[] {
  const renames = format.pointers ?? {};
  return errors.map((e) => {
    const pointer = renames[e.pointer] ?? e.pointer;
    return { pointer, detail: e.detail.replace(e.pointer.slice(1), pointer.slice(1)) };
  });
}
