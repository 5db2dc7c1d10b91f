import { shapeLinkFull } from '../link/full';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';
import { FULL } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './full.schema.json';
import type { LinkPageNeeds } from './needs';

/** Full page: full links, the page size and navigation links. */
export function shapeLinkPageFull(p: LinkPage, ctx: ShapeContext) {
  return {
    items: p.page.items.map((link) => shapeLinkFull(link, ctx)),
    pageSize: p.pageSize,
    nextCursor: p.page.nextCursor,
    links: { self: p.self, next: p.next },
  };
}

/** link-page as full: registered by ./index.ts. */
export const linkPageFull = {
  type: FULL,
  schema: 'link-page/full.schema.json',
  document,
  shape: shapeLinkPageFull,
  needs: { pageSize: 50 },
} satisfies RepresentationDefinition<LinkPage, LinkPageNeeds>;
