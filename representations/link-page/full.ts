import { shapeLinkFull } from '../link/full';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';

/** Full page: full links, the page size and navigation links. */
export function shapeLinkPageFull(p: LinkPage, ctx: ShapeContext) {
  return {
    items: p.page.items.map((link) => shapeLinkFull(link, ctx)),
    pageSize: p.pageSize,
    nextCursor: p.page.nextCursor,
    links: { self: p.self, next: p.next },
  };
}
