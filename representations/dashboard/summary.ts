import type { Dashboard } from '../../src/domain/dashboard';
import type { ShapeContext } from '../context';
import { SUMMARY } from '../media-types';
import type { RepresentationDefinition } from '../definition';
import document from './summary.schema.json';
import type { DashboardNeeds } from './needs';

/** Summary dashboard: name, avatar and the 10 most recent links with their click totals. */
export function shapeDashboardSummary(d: Dashboard, _ctx: ShapeContext) {
  return {
    user: { name: d.profile?.name ?? '', avatarUrl: d.profile?.avatarUrl ?? null },
    recentLinks: (d.links ?? []).slice(0, 10).map((l) => ({ code: l.code, title: l.title, clicks: l.clickCount })),
  };
}

/** dashboard as summary: registered by ./index.ts. */
export const dashboardSummary = {
  type: SUMMARY,
  schema: 'dashboard/summary.schema.json',
  document,
  shape: shapeDashboardSummary,
  needs: { links: 10, analyticsDays: null },
} satisfies RepresentationDefinition<Dashboard, DashboardNeeds>;
