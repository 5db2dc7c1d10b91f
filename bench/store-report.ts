import fs from 'node:fs';
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

const BEGIN = '<!-- BEGIN stores: written by `npm run bench -- --stores` (bench/stores.ts) -->';
const END = '<!-- END stores -->';
const LABEL: Record<StoreName, string> = { sqlite: 'SQLite (embedded file)', postgres: 'PostgreSQL 15 (loopback)' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

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
    BEGIN,
    '## Stores: SQLite and PostgreSQL, uncached (issue 11)',
    '',
    ...machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: ${method}`,
    '',
    renderStoreSection(results),
    END,
  ].join('\n');
  fs.writeFileSync(file, withStoreSection(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', section));
}

/** `report` (a full run's new RESULTS.md) with the stores section `file` holds now, so a full run does not drop it. */
export function keepStoreSection(file: string, report: string): string {
  const previous = fs.existsSync(file) ? findSection(fs.readFileSync(file, 'utf8')) : null;
  return previous ? withStoreSection(report, previous.text) : report;
}

function findSection(text: string): { start: number; end: number; text: string } | null {
  const start = text.indexOf(BEGIN);
  const end = start < 0 ? -1 : text.indexOf(END, start);
  return end < 0 ? null : { start, end: end + END.length, text: text.slice(start, end + END.length) };
}

/** `text` with `section` in place of its stores section, or appended when it has none. */
function withStoreSection(text: string, section: string): string {
  const at = findSection(text);
  if (at) return text.slice(0, at.start) + section + text.slice(at.end);
  return `${text.replace(/\n*$/, '\n\n')}${section}\n`;
}
