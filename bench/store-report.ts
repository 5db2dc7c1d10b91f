import { median } from './report';
import { writeSection } from './sections';
import type { Section } from './sections';
import type { StoreLoadResult } from './store-load-worker';

/** The stores compared, SQLite first (the ratios are PostgreSQL ÷ SQLite). */
export type StoreName = 'sqlite' | 'postgres';

/** Everything measured for one store scenario. */
export interface StoreScenarioResult {
  name: string;
  request: string;
  runs: Partial<Record<StoreName, StoreLoadResult[]>>;
  note?: string;
}

/** Where bench/RESULTS.md holds the stores comparison. */
export const STORE_SECTION: Section = {
  begin: '<!-- BEGIN stores: written by `npm run bench -- --stores` (bench/stores.ts) -->',
  end: '<!-- END stores -->',
};
const LABEL: Record<StoreName, string> = { sqlite: 'SQLite (embedded file)', postgres: 'PostgreSQL 15 (loopback)' };

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const of = (r: StoreScenarioResult, store: StoreName, pick: (x: StoreLoadResult) => number) => median((r.runs[store] ?? []).map(pick));

/** Markdown tables, one per scenario: a row per store, then PostgreSQL ÷ SQLite. */
export function renderStoreSection(results: StoreScenarioResult[]): string {
  return results.flatMap((r) => {
    const lines = [`#### ${r.name} — ${r.request}`, '', '| store | req/s (median) | runs req/s | p50 ms | p99 ms | body B | errors |', '|---|--:|---|--:|--:|--:|--:|'];
    for (const store of ['sqlite', 'postgres'] as const) {
      const runs = r.runs[store] ?? [];
      lines.push(`| ${LABEL[store]} | ${int(of(r, store, (x) => x.rps))} | ${runs.map((x) => int(x.rps)).join(' / ')} | ${ms(of(r, store, (x) => x.p50Ms))} | `
        + `${ms(of(r, store, (x) => x.p99Ms))} | ${int(of(r, store, (x) => x.bodyBytes))} | ${runs.reduce((n, x) => n + x.errors + x.badStatus, 0)} |`);
    }
    const ratio = (pick: (x: StoreLoadResult) => number) => (of(r, 'postgres', pick) / of(r, 'sqlite', pick)).toFixed(2);
    lines.push(`| **PostgreSQL ÷ SQLite** | **${ratio((x) => x.rps)}×** | | **${ratio((x) => x.p50Ms)}×** | **${ratio((x) => x.p99Ms)}×** | | |`);
    if (r.note) lines.push('', r.note);
    return [...lines, ''];
  }).join('\n');
}

/** Writes the stores section into `file`, replacing an earlier one and keeping everything else. */
export function writeStoreSection(file: string, machine: [string, string][], method: string, results: StoreScenarioResult[]): void {
  const section = [
    STORE_SECTION.begin,
    '## Stores: SQLite and PostgreSQL, uncached (issue 11)',
    '',
    ...machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: ${method}`,
    '',
    renderStoreSection(results),
    STORE_SECTION.end,
  ].join('\n');
  writeSection(file, STORE_SECTION, section);
}
