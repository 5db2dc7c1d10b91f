import { shapeLinkPartnerV3 } from '../link/partner-v3';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';
import { PARTNER_V3 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v3.schema.json';
import type { LinkPageNeeds } from './needs';

/** Frozen partner.v3 paging: `{ data, has_more, next_cursor }`. */
export function shapeLinkPagePartnerV3(p: LinkPage, ctx: ShapeContext) {
  return {
    data: p.page.items.map((link) => shapeLinkPartnerV3(link, ctx)),
    has_more: p.page.nextCursor !== null,
    next_cursor: p.page.nextCursor,
  };
}

/** link-page as partner.v3: registered by ./index.ts. */
export const linkPagePartnerV3 = {
  type: PARTNER_V3,
  schema: 'link-page/partner-v3.schema.json',
  document,
  shape: shapeLinkPagePartnerV3,
  needs: { pageSize: 25 },
} satisfies RepresentationDefinition<LinkPage, LinkPageNeeds>;
