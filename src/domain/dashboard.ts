import type { AnalyticsService, LinkStats } from './analytics';
import type { LinkService } from './links';
import type { Membership, UserService } from './users';
import type { Link, User } from './types';

/** Sections of the full dashboard that can degrade independently. */
export type DashboardSection = 'profile' | 'teams' | 'links' | 'analytics';

/** What the dashboard representations are shaped from; a degraded section is null. */
export interface Dashboard {
  profile: User | null;
  teams: Membership[] | null;
  links: Link[] | null;
  analytics: Map<string, LinkStats> | null;
  degraded: DashboardSection[];
}

/** The dashboard aggregator (the BFF part): fans out to the services in parallel. */
export interface DashboardService {
  /** Name, avatar and the `recent` newest links; fails as a whole (it is two cheap reads). */
  summary(userId: string, recent: number): Promise<Dashboard>;
  /** Profile, teams, the first `limit` links and their `days`-day analytics, each under the time budget. */
  full(userId: string, limit: number, days: number): Promise<Dashboard>;
}

class BudgetExceeded extends Error {}

/** Resolves to the work's value, or null if it fails or outlasts `ms`; never rejects. */
async function withinBudget<T>(work: Promise<T>, ms: number, onFailure: (err: unknown) => void): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded(`over its ${ms} ms budget`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (err) {
    onFailure(err);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the dashboard aggregator; `budgetMs` bounds each section, `log` hears every degradation. */
export function createDashboardService(
  services: { users: UserService; links: LinkService; analytics: AnalyticsService },
  options: { budgetMs: number; log: (message: string, err: unknown) => void },
): DashboardService {
  return {
    async summary(userId, recent) {
      const [profile, page] = await Promise.all([services.users.get(userId), services.links.list(userId, recent, null)]);
      return { profile, teams: null, links: page.items, analytics: null, degraded: [] };
    },
    async full(userId, limit, days) {
      const degraded: DashboardSection[] = [];
      const guard = <T>(section: DashboardSection, work: () => Promise<T>) =>
        withinBudget(work(), options.budgetMs, (err) => {
          degraded.push(section);
          options.log(`dashboard section ${section} degraded`, err);
        });
      const linksWork = services.links.list(userId, limit, null).then((page) => page.items);
      // Analytics needs the link list, so it chains on it; every section still starts now.
      const [profile, teams, links, analytics] = await Promise.all([
        guard('profile', () => services.users.get(userId)),
        guard('teams', () => services.users.teamsOf(userId)),
        guard('links', () => linksWork),
        guard('analytics', () => linksWork.then((items) => services.analytics.forLinks(items, days))),
      ]);
      const order: DashboardSection[] = ['profile', 'teams', 'links', 'analytics'];
      return { profile, teams, links, analytics, degraded: order.filter((s) => degraded.includes(s)) };
    },
  };
}
