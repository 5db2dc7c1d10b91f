import { shapeLinkPartnerV4 } from '../link/partner-v4';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';
import { PARTNER_V4 } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './partner-v4.schema.json';
import type { LinkPageNeeds } from './needs';

/** Frozen partner.v4 paging: partner.v3's `{ data, has_more, next_cursor }`, its data partner.v4 links. */
export function shapeLinkPagePartnerV4(p: LinkPage, ctx: ShapeContext) {
  return {
    data: p.page.items.map((link) => shapeLinkPartnerV4(link, ctx)),
    has_more: p.page.nextCursor !== null,
    next_cursor: p.page.nextCursor,
  };
}

/** link-page as partner.v4: registered by ./index.ts. */
export const linkPagePartnerV4 = {
  type: PARTNER_V4,
  schema: 'link-page/partner-v4.schema.json',
  document,
  shape: shapeLinkPagePartnerV4,
  needs: { pageSize: 25 },
} satisfies RepresentationDefinition<LinkPage, LinkPageNeeds>;
