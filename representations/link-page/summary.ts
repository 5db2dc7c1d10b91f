import { shapeLinkSummary } from '../link/summary';
import type { ShapeContext } from '../context';
import type { LinkPage } from './page';
import { SUMMARY } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './summary.schema.json';
import type { LinkPageNeeds } from './needs';

/** Summary page: summary links and the cursor of the next page. */
export function shapeLinkPageSummary(p: LinkPage, ctx: ShapeContext) {
  return {
    items: p.page.items.map((link) => shapeLinkSummary(link, ctx)),
    nextCursor: p.page.nextCursor,
  };
}

/** link-page as summary: registered by ./index.ts. */
export const linkPageSummary = {
  type: SUMMARY,
  schema: 'link-page/summary.schema.json',
  document,
  shape: shapeLinkPageSummary,
  needs: { pageSize: 20 },
} satisfies RepresentationDefinition<LinkPage, LinkPageNeeds>;
