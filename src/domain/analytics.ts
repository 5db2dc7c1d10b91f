import type { ClickRepository, WindowClicks } from './repository';
import type { Link } from './types';

/** Clicks of one link over a window of days, from the daily roll-ups. */
export interface LinkStats {
  code: string;
  /** All-time total. */
  total: number;
  /** One entry per UTC day of the window, oldest first, zero-filled. */
  daily: { date: string; clicks: number }[];
  /** Window totals per value, largest first. */
  countries: Record<string, number>;
  devices: Record<string, number>;
  referrers: Record<string, number>;
}

/** The analytics service: reads roll-ups, never raw clicks. */
export interface AnalyticsService {
  /** Stats of each link over the last `days` days (today included), keyed by link code. */
  forLinks(links: Link[], days: number): Promise<Map<string, LinkStats>>;
}

const DAY = 86_400_000;

/** `YYYY-MM-DD` of the UTC days of a window ending today, oldest first. */
export function windowDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY).toISOString().slice(0, 10));
}

function sortedCounts(counts: Map<string, number>): Record<string, number> {
  // fromEntries defines own properties: a referrer host named `__proto__` is a count, not a prototype.
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** Builds the analytics service over the click roll-ups. */
export function createAnalyticsService(clicks: ClickRepository, now: () => Date): AnalyticsService {
  return {
    async forLinks(links, days) {
      const window = windowDays(now(), days);
      const rows = await clicks.window(links.map((l) => l.rowId), window[0]!);
      const perDay = new Map<number, Map<string, number>>();
      for (const r of rows.perDay) {
        const byDay = perDay.get(r.linkRowId) ?? new Map<string, number>();
        byDay.set(r.day, r.clicks);
        perDay.set(r.linkRowId, byDay);
      }
      const perValue = new Map<number, WindowClicks['perValue']>();
      for (const r of rows.perValue) {
        const list = perValue.get(r.linkRowId);
        if (list) list.push(r);
        else perValue.set(r.linkRowId, [r]);
      }
      const result = new Map<string, LinkStats>();
      for (const link of links) {
        const byDay = perDay.get(link.rowId);
        const dims = { device: new Map<string, number>(), country: new Map<string, number>(), referrer: new Map<string, number>() };
        for (const row of perValue.get(link.rowId) ?? []) {
          dims[row.dimension].set(row.dimension === 'referrer' && row.value === '' ? '(direct)' : row.value, row.clicks);
        }
        result.set(link.code, {
          code: link.code,
          total: link.clickCount,
          daily: window.map((date) => ({ date, clicks: byDay?.get(date) ?? 0 })),
          countries: sortedCounts(dims.country),
          devices: sortedCounts(dims.device),
          referrers: sortedCounts(dims.referrer),
        });
      }
      return result;
    },
  };
}
