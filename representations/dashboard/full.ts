import type { Dashboard } from '../../src/domain/dashboard';
import type { ShapeContext } from '../context';
import { shapeLinkFull } from '../link/full';
import { FULL } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './full.schema.json';
import type { DashboardNeeds } from './needs';

/** Full dashboard: profile, teams, links with 30-day analytics; degraded sections are null and named. */
export function shapeDashboardFull(d: Dashboard, ctx: ShapeContext) {
  const p = d.profile;
  return {
    profile: p && { id: p.id, name: p.name, email: p.email, avatarUrl: p.avatarUrl, createdAt: p.createdAt.toISOString() },
    teams: d.teams && d.teams.map((t) => ({ id: t.id, name: t.name, role: t.role })),
    links: d.links && d.links.map((link) => {
      const stats = d.analytics?.get(link.code);
      return {
        link: shapeLinkFull(link, ctx),
        analytics: stats
          ? { from: stats.daily[0]?.date ?? '', daily: stats.daily.map((x) => x.clicks), countries: { ...stats.countries }, devices: { ...stats.devices } }
          : null,
      };
    }),
    degraded: [...d.degraded],
  };
}

/** dashboard as full: registered by ./index.ts. */
export const dashboardFull = {
  type: FULL,
  schema: 'dashboard/full.schema.json',
  document,
  shape: shapeDashboardFull,
  needs: { links: 50, analyticsDays: 30 },
} satisfies RepresentationDefinition<Dashboard, DashboardNeeds>;
