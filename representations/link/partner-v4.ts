import type { Link } from '../../src/domain/types';
import { epochSeconds } from '../context';
import type { ShapeContext } from '../context';
import { PARTNER_V4 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v4.schema.json';
import { shapeLinkPartnerV3 } from './partner-v3';
import { linkStatus } from './status';

/** Frozen partner.v4 link: partner.v3's fields, then tags, status and updated_at. Never change a field; add a new media type. */
export function shapeLinkPartnerV4(link: Link, ctx: ShapeContext) {
  return {
    // v3's own shaper, not a copy of its fields: v4 is v3 plus three members, so the two cannot drift
    // apart. Spreading an allow-list's output (not an entity) keeps the shape pure; the schema closes it.
    ...shapeLinkPartnerV3(link, ctx),
    tags: [...link.tags],
    status: linkStatus(link, ctx.now),
    updated_at: epochSeconds(link.updatedAt),
  };
}

/** link as partner.v4: registered by ./index.ts. */
export const linkPartnerV4 = {
  type: PARTNER_V4,
  schema: 'link/partner-v4.schema.json',
  document,
  shape: shapeLinkPartnerV4,
  needs: {},
} satisfies RepresentationDefinition<Link>;
