import type { Link } from '../../src/domain/types';
import type { ShapeContext } from '../context';
import { FULL } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './full.schema.json';
import { linkStatus } from './status';

/** Full link: every field the web dashboard shows, ISO-8601 times, navigation links. */
export function shapeLinkFull(link: Link, ctx: ShapeContext) {
  return {
    code: link.code,
    shortUrl: `${ctx.baseUrl}/${link.code}`,
    url: link.url,
    title: link.title,
    tags: [...link.tags],
    clicks: link.clickCount,
    status: linkStatus(link, ctx.now),
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
    expiresAt: link.expiresAt?.toISOString() ?? null,
    links: {
      self: `${ctx.baseUrl}/api/links/${link.code}`,
      redirect: `${ctx.baseUrl}/${link.code}`,
    },
  };
}

/** link as full: registered by ./index.ts. */
export const linkFull = {
  type: FULL,
  schema: 'link/full.schema.json',
  document,
  shape: shapeLinkFull,
  needs: {},
} satisfies RepresentationDefinition<Link>;
