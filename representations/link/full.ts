import type { Link } from '../../src/domain/types';
import type { ShapeContext } from '../context';

/** Full link: every field the web dashboard shows, ISO-8601 times, navigation links. */
export function shapeLinkFull(link: Link, ctx: ShapeContext) {
  const expired = link.expiresAt !== null && link.expiresAt.getTime() <= ctx.now.getTime();
  return {
    code: link.code,
    shortUrl: `${ctx.baseUrl}/${link.code}`,
    url: link.url,
    title: link.title,
    tags: [...link.tags],
    clicks: link.clickCount,
    status: expired ? 'expired' : 'active',
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
    expiresAt: link.expiresAt?.toISOString() ?? null,
    links: {
      self: `${ctx.baseUrl}/api/links/${link.code}`,
      redirect: `${ctx.baseUrl}/${link.code}`,
    },
  };
}
