import { shapeLinkPartnerV3 } from '../link/partner-v3';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';

/** Frozen partner.v3 paging: `{ data, has_more, next_cursor }`. */
export function shapeLinkPagePartnerV3(p: LinkPage, ctx: ShapeContext) {
  return {
    data: p.page.items.map((link) => shapeLinkPartnerV3(link, ctx)),
    has_more: p.page.nextCursor !== null,
    next_cursor: p.page.nextCursor,
  };
}
