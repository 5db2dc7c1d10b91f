import { createDashboardService } from '../../src/domain/dashboard';
import type { AnalyticsService } from '../../src/domain/analytics';
import type { LinkService } from '../../src/domain/links';
import type { UserService } from '../../src/domain/users';
import type { Link, User } from '../../src/domain/types';

const user: User = { id: 'u1', name: 'Ada', email: 'ada@example.com', avatarUrl: null, createdAt: new Date(0) };
const link: Link = {
  rowId: 1, code: 'abc', ownerId: 'u1', url: 'https://example.org/', title: null, tags: [],
  createdAt: new Date(0), updatedAt: new Date(0), expiresAt: null, version: 1, clickCount: 3,
};

/** Resolves when `n` callers have arrived: proves calls overlap, since sequential calls would never all arrive. */
function barrier(n: number) {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => { release = resolve; });
  return async () => {
    arrived += 1;
    if (arrived === n) release();
    await all;
  };
}

function services(overrides: { users?: Partial<UserService>; links?: Partial<LinkService>; analytics?: Partial<AnalyticsService> } = {}) {
  return {
    users: { get: async () => user, teamsOf: async () => [{ id: 't1', name: 'T', role: 'owner' }], teamForMember: async () => { throw new Error('unused'); }, ...overrides.users } as UserService,
    links: { list: async () => ({ items: [link], nextCursor: null }), ...overrides.links } as LinkService,
    analytics: {
      forLinks: async () => new Map([['abc', { code: 'abc', total: 3, daily: [], countries: {}, devices: {}, referrers: {} }]]),
      ...overrides.analytics,
    } as AnalyticsService,
  };
}

describe('the full dashboard fan-out', () => {
  it('calls the users, teams and links services at the same time', async () => {
    const meet = barrier(3);
    const dashboard = createDashboardService(services({
      users: { get: async () => { await meet(); return user; }, teamsOf: async () => { await meet(); return []; } },
      links: { list: async () => { await meet(); return { items: [link], nextCursor: null }; } },
    }), { budgetMs: 2_000, log: () => undefined });
    const result = await dashboard.full('u1', 50, 30);
    expect(result.degraded).toEqual([]);
    expect(result.profile?.name).toBe('Ada');
    expect(result.analytics?.get('abc')?.total).toBe(3);
  });

  it('answers with a failed section set to null, named in degraded, and logged', async () => {
    const logged: string[] = [];
    const dashboard = createDashboardService(services({ users: { teamsOf: async () => { throw new Error('teams service down'); } } }), {
      budgetMs: 2_000,
      log: (message) => logged.push(message),
    });
    const result = await dashboard.full('u1', 50, 30);
    expect(result.teams).toBeNull();
    expect(result.degraded).toEqual(['teams']);
    expect(result.links).toHaveLength(1);
    expect(logged).toEqual(['dashboard section teams degraded']);
  });

  it('gives up on a section that outlasts its budget and keeps the others', async () => {
    const never = new Promise<never>(() => undefined);
    const dashboard = createDashboardService(services({ analytics: { forLinks: () => never } }), { budgetMs: 20, log: () => undefined });
    const result = await dashboard.full('u1', 50, 30);
    expect(result.analytics).toBeNull();
    expect(result.degraded).toEqual(['analytics']);
    expect(result.profile).not.toBeNull();
  });

  it('degrades analytics too when the link list it depends on fails', async () => {
    const dashboard = createDashboardService(services({ links: { list: async () => { throw new Error('links down'); } } }), { budgetMs: 2_000, log: () => undefined });
    const result = await dashboard.full('u1', 50, 30);
    expect(result.degraded).toEqual(['links', 'analytics']);
    expect(result.profile).not.toBeNull();
  });
});
