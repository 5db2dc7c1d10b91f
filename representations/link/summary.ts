import type { Link } from '../../src/domain/types';
import type { ShapeContext } from '../context';

/** Summary link: only what a phone renders. */
export function shapeLinkSummary(link: Link, ctx: ShapeContext) {
  return {
    code: link.code,
    shortUrl: `${ctx.baseUrl}/${link.code}`,
    url: link.url,
    clicks: link.clickCount,
  };
}
