import fc from 'fast-check';
import { rollUp } from '../../src/store/click-rollups';
import type { Click } from '../../src/domain/types';

const click: fc.Arbitrary<Click> = fc.record({
  linkRowId: fc.integer({ min: 1, max: 12 }),
  // Around midnights, so a batch spans days.
  at: fc.integer({ min: Date.UTC(2026, 11, 1, 22), max: Date.UTC(2026, 11, 3, 2) }).map((ms) => new Date(ms)),
  device: fc.constantFrom('mobile', 'desktop', 'tablet', 'bot', 'other'),
  country: fc.constantFrom('DE', 'US', 'ZZ'),
  referrer: fc.constantFrom(null, 'a.example', 'b.example', 'ä.example'),
}) as fc.Arbitrary<Click>;

const valueOf = (c: Click, dimension: string): string =>
  dimension === 'total' ? '' : dimension === 'device' ? c.device : dimension === 'country' ? c.country : c.referrer ?? '';

test('a batch rolls up into one increment per (link, UTC day, dimension, value), counting exactly its clicks, in one order', () => {
  fc.assert(fc.property(fc.array(click, { maxLength: 80 }), (clicks) => {
    const { perLink, daily } = rollUp(clicks);
    for (const [rowId, n] of perLink) expect(n).toBe(clicks.filter((c) => c.linkRowId === rowId).length);
    expect([...perLink.keys()]).toEqual([...new Set(clicks.map((c) => c.linkRowId))].sort((a, b) => a - b));
    for (const row of daily) {
      const counted = clicks.filter((c) => c.linkRowId === row.linkRowId && c.at.toISOString().slice(0, 10) === row.day && valueOf(c, row.dimension) === row.value);
      expect(row.clicks).toBe(counted.length);
    }
    // Every click is in one row of each dimension.
    for (const dimension of ['total', 'device', 'country', 'referrer']) {
      expect(daily.filter((r) => r.dimension === dimension).reduce((sum, r) => sum + r.clicks, 0)).toBe(clicks.length);
    }
    // Strictly ordered by (link, day, dimension, value): two processes lock rows in the same order.
    const keys = daily.map((r) => [r.linkRowId, r.day, r.dimension, r.value] as const);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1]!, keys[i]!];
      const before = a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && (a[2] < b[2] || (a[2] === b[2] && a[3] < b[3])))));
      expect(before).toBe(true);
    }
  }), { numRuns: 200 });
});
