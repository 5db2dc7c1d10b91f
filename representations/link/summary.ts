import type { Link } from '../../src/domain/types';
import type { ShapeContext } from '../context';
import { SUMMARY } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './summary.schema.json';

/** Summary link: only what a phone renders. */
export function shapeLinkSummary(link: Link, ctx: ShapeContext) {
  return {
    code: link.code,
    shortUrl: `${ctx.baseUrl}/${link.code}`,
    url: link.url,
    clicks: link.clickCount,
  };
}

/** link as summary: registered by ./index.ts. */
export const linkSummary = {
  type: SUMMARY,
  schema: 'link/summary.schema.json',
  document,
  shape: shapeLinkSummary,
  needs: {},
} satisfies RepresentationDefinition<Link>;
