import type { LinkStats } from '../../src/domain/analytics';

/** What every link-stats shaping function receives: 30 days of stats of one link. */
export type LinkStatsEntity = LinkStats;

/** `{ [key]: clicks }` as a list of `{ <name>: key, clicks }`, keeping the order (largest first). */
export function asList<K extends string>(counts: Record<string, number>, name: K): ({ [P in K]: string } & { clicks: number })[] {
  return Object.entries(counts).map(([key, clicks]) => ({ [name]: key, clicks }) as { [P in K]: string } & { clicks: number });
}
