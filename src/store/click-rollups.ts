import type { Click } from '../domain/types';

type Dimension = 'total' | 'device' | 'country' | 'referrer';

/** What a batch of clicks adds: per link, and per (link, UTC day, dimension, value) of the daily roll-ups. */
export interface ClickRollups {
  perLink: Map<number, number>;
  daily: { linkRowId: number; day: string; dimension: Dimension; value: string; clicks: number }[];
}

const DAY_MS = 86_400_000;
type Row = ClickRollups['daily'][number];

/** Row order: by link, day, dimension, value; the same in every process. */
function byKey(a: Row, b: Row): number {
  if (a.linkRowId !== b.linkRowId) return a.linkRowId - b.linkRowId;
  if (a.day !== b.day) return a.day < b.day ? -1 : 1;
  if (a.dimension !== b.dimension) return a.dimension < b.dimension ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * Sums a batch into the increments a store adds (never sets), sorted by key so that two
 * processes adding to the same rows lock them in one order and cannot deadlock. A batch's clicks
 * fall on a day or two, so a day's name is made once, not per click.
 */
export function rollUp(clicks: readonly Click[]): ClickRollups {
  const perLink = new Map<number, number>();
  const daily = new Map<string, Row>();
  const days = new Map<number, string>();
  const add = (linkRowId: number, day: string, dimension: Dimension, value: string) => {
    const key = `${linkRowId}\u0000${day}\u0000${dimension}\u0000${value}`;
    const row = daily.get(key);
    if (row) row.clicks += 1;
    else daily.set(key, { linkRowId, day, dimension, value, clicks: 1 });
  };
  for (const c of clicks) {
    perLink.set(c.linkRowId, (perLink.get(c.linkRowId) ?? 0) + 1);
    const dayNumber = Math.floor(c.at.getTime() / DAY_MS);
    let day = days.get(dayNumber);
    if (day === undefined) days.set(dayNumber, (day = c.at.toISOString().slice(0, 10)));
    add(c.linkRowId, day, 'total', '');
    add(c.linkRowId, day, 'device', c.device);
    add(c.linkRowId, day, 'country', c.country);
    add(c.linkRowId, day, 'referrer', c.referrer ?? '');
  }
  return { perLink: new Map([...perLink].sort(([a], [b]) => a - b)), daily: [...daily.values()].sort(byKey) };
}
