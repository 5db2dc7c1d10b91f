import type { LinkInput } from '../../src/domain/links';
import type { LinkChanges } from '../../src/domain/types';

/** Pure readers from schema-valid request bodies to domain input; each field named, nothing spread. */

type Body = Record<string, unknown>;

const date = (value: unknown) => (value === null ? null : new Date(value as string));
const fromEpoch = (value: unknown) => (value === null ? null : new Date((value as number) * 1000));

/** application/json create body. */
export function readCreate(body: Body): LinkInput {
  const input: LinkInput = { url: body.url as string };
  if (body.code !== undefined) input.code = body.code as string;
  if (body.title !== undefined) input.title = body.title as string | null;
  if (body.tags !== undefined) input.tags = body.tags as string[];
  if (body.expiresAt !== undefined) input.expiresAt = date(body.expiresAt);
  return input;
}

/** Frozen partner.v3 create body: `long_url`, `id` (custom code), `title`, `expires_at` in epoch seconds. */
export function readPartnerV3Create(body: Body): LinkInput {
  const input: LinkInput = { url: body.long_url as string };
  if (body.id !== undefined) input.code = body.id as string;
  if (body.title !== undefined) input.title = body.title as string | null;
  if (body.expires_at !== undefined) input.expiresAt = fromEpoch(body.expires_at);
  return input;
}

/** application/json or merge-patch body. */
export function readUpdate(body: Body): LinkChanges {
  const changes: LinkChanges = {};
  if (body.url !== undefined) changes.url = body.url as string;
  if (body.title !== undefined) changes.title = body.title as string | null;
  if (body.tags !== undefined) changes.tags = body.tags as string[];
  if (body.expiresAt !== undefined) changes.expiresAt = date(body.expiresAt);
  return changes;
}

/** Frozen partner.v3 update body. */
export function readPartnerV3Update(body: Body): LinkChanges {
  const changes: LinkChanges = {};
  if (body.long_url !== undefined) changes.url = body.long_url as string;
  if (body.title !== undefined) changes.title = body.title as string | null;
  if (body.expires_at !== undefined) changes.expiresAt = fromEpoch(body.expires_at);
  return changes;
}

/** Frozen partner.v4 create body: partner.v3's, read by its reader, plus `tags`. */
export function readPartnerV4Create(body: Body): LinkInput {
  const input = readPartnerV3Create(body);
  if (body.tags !== undefined) input.tags = body.tags as string[];
  return input;
}

/** Frozen partner.v4 update body: partner.v3's, read by its reader, plus `tags`. */
export function readPartnerV4Update(body: Body): LinkChanges {
  const changes = readPartnerV3Update(body);
  if (body.tags !== undefined) changes.tags = body.tags as string[];
  return changes;
}
