import type { Link } from '../../src/domain/types';
import { epochSeconds } from '../context';
import type { ShapeContext } from '../context';
import { PARTNER_V3 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v3.schema.json';

/** Frozen partner.v3 link: snake_case, epoch seconds. Never change a field here; add a new media type. */
export function shapeLinkPartnerV3(link: Link, ctx: ShapeContext) {
  return {
    id: link.code,
    short_url: `${ctx.baseUrl}/${link.code}`,
    long_url: link.url,
    title: link.title,
    created_at: epochSeconds(link.createdAt),
    expires_at: link.expiresAt === null ? null : epochSeconds(link.expiresAt),
    click_count: link.clickCount,
  };
}

/** link as partner.v3: registered by ./index.ts. */
export const linkPartnerV3 = {
  type: PARTNER_V3,
  schema: 'link/partner-v3.schema.json',
  document,
  shape: shapeLinkPartnerV3,
  needs: {},
} satisfies RepresentationDefinition<Link>;
