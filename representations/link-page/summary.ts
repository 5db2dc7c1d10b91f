import { shapeLinkSummary } from '../link/summary';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';

/** Summary page: summary links and the cursor of the next page. */
export function shapeLinkPageSummary(p: LinkPage, ctx: ShapeContext) {
  return {
    items: p.page.items.map((link) => shapeLinkSummary(link, ctx)),
    nextCursor: p.page.nextCursor,
  };
}
