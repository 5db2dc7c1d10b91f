import type { Click } from '../domain/types';

/** What a batch of clicks adds: per link, and per (link, UTC day, dimension, value) of the daily roll-ups. */
export interface ClickRollups {
  perLink: Map<number, number>;
  daily: { linkRowId: number; day: string; dimension: 'total' | 'device' | 'country' | 'referrer'; value: string; clicks: number }[];
}

/**
 * Sums a batch into the increments a store adds (never sets), sorted by key so that two
 * processes adding to the same rows lock them in one order and cannot deadlock.
 */
export function rollUp(clicks: readonly Click[]): ClickRollups {
  const perLink = new Map<number, number>();
  const daily = new Map<string, ClickRollups['daily'][number]>();
  const add = (linkRowId: number, day: string, dimension: ClickRollups['daily'][number]['dimension'], value: string) => {
    const key = `${String(linkRowId).padStart(16, '0')}\u0000${day}\u0000${dimension}\u0000${value}`;
    const row = daily.get(key);
    if (row) row.clicks += 1;
    else daily.set(key, { linkRowId, day, dimension, value, clicks: 1 });
  };
  for (const c of clicks) {
    perLink.set(c.linkRowId, (perLink.get(c.linkRowId) ?? 0) + 1);
    const day = c.at.toISOString().slice(0, 10);
    add(c.linkRowId, day, 'total', '');
    add(c.linkRowId, day, 'device', c.device);
    add(c.linkRowId, day, 'country', c.country);
    add(c.linkRowId, day, 'referrer', c.referrer ?? '');
  }
  const sorted = [...daily.keys()].sort().map((k) => daily.get(k)!);
  return { perLink: new Map([...perLink].sort(([a], [b]) => a - b)), daily: sorted };
}
