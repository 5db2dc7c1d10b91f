import type { Dashboard } from '../../src/domain/dashboard';
import type { ShapeContext } from '../context';

/** Summary dashboard: name, avatar and the 10 most recent links with their click totals. */
export function shapeDashboardSummary(d: Dashboard, _ctx: ShapeContext) {
  return {
    user: { name: d.profile?.name ?? '', avatarUrl: d.profile?.avatarUrl ?? null },
    recentLinks: (d.links ?? []).slice(0, 10).map((l) => ({ code: l.code, title: l.title, clicks: l.clickCount })),
  };
}
