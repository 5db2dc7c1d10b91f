import type { LoadResult } from './load';
import type { Scenario } from './scenarios';

/** The servers compared in every scenario. */
export const SERVERS = ['facet', 'ceiling', 'naive', 'fastify'] as const;
export type ServerName = (typeof SERVERS)[number];

const LABEL: Record<ServerName, string> = {
  facet: 'Facet',
  ceiling: 'ceiling (raw node:http, precomputed bytes)',
  naive: 'naive peer (Express 5, res.format + res.json)',
  fastify: 'framework peer (Fastify 5 + response schemas)',
};

/** Everything measured for one scenario. */
export interface ScenarioResult {
  scenario: Scenario;
  runs: Partial<Record<ServerName, LoadResult[]>>;
  bodyBytes: Partial<Record<ServerName, number>>;
  /** Peak RSS in bytes over the scenario's runs. */
  peakRss: Partial<Record<ServerName, number | null>>;
}

/** One PASS/FAIL line of the issue's targets. */
export interface Target {
  text: string;
  pass: boolean | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median req/s of a server in a scenario (NaN when it was not run). */
export function medianRps(r: ScenarioResult, server: ServerName): number {
  return median((r.runs[server] ?? []).map((x) => x.rps));
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
const mb = (n: number | null | undefined) => (n ? (n / 2 ** 20).toFixed(0) : '–');

/** A Markdown table of one scenario: a row per server, ratios against each baseline. */
export function renderScenario(r: ScenarioResult): string {
  const base = { ceiling: medianRps(r, 'ceiling'), naive: medianRps(r, 'naive'), fastify: medianRps(r, 'fastify') };
  const lines = [
    `### ${r.scenario.name} — \`GET ${r.scenario.path}\` ${Object.entries(r.scenario.headers).map(([k, v]) => `${k}: ${v}`).join('; ')} → ${r.scenario.status}`,
    '',
    '| server | req/s (median) | runs req/s | p50 ms | p99 ms | body B | wire B/resp | × ceiling | × naive | × fastify | peak RSS MB | errors |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const server of SERVERS) {
    const runs = r.runs[server];
    if (!runs?.length) continue;
    const rps = medianRps(r, server);
    const errors = runs.reduce((n, x) => n + x.errors + x.badStatus, 0);
    lines.push(`| ${LABEL[server]} | ${int(rps)} | ${runs.map((x) => int(x.rps)).join(' / ')} | ${ms(median(runs.map((x) => x.p50Ms)))} | ${ms(median(runs.map((x) => x.p99Ms)))} | `
      + `${int(r.bodyBytes[server] ?? NaN)} | ${int(median(runs.map((x) => x.wireBytes)))} | ${ratio(rps, base.ceiling)} | ${ratio(rps, base.naive)} | ${ratio(rps, base.fastify)} | `
      + `${mb(r.peakRss[server])} | ${errors} |`);
  }
  return lines.join('\n');
}

function judge(label: string, value: number, min: number, unit = '×'): Target {
  if (!Number.isFinite(value)) return { text: `${label}: not measured`, pass: null };
  const shown = unit === '×' ? `${value.toFixed(2)}×` : `${value.toFixed(0)} ${unit}`;
  const bound = unit === '×' ? `≥ ${min}×` : `≤ ${min} ${unit}`;
  const pass = unit === '×' ? value >= min : value <= min;
  return { text: `${pass ? 'PASS' : 'FAIL'}  ${label}: ${shown} (target ${bound})`, pass };
}

/** The issue's targets judged on the medians. */
export function judgeTargets(results: ScenarioResult[], cacheBytes: number): Target[] {
  const targets: Target[] = [];
  const rel = (r: ScenarioResult, to: ServerName) => medianRps(r, 'facet') / medianRps(r, to);
  for (const r of results) {
    const name = r.scenario.name;
    if (r.scenario.group === 'card') {
      targets.push(judge(`cached negotiated GET, ${name} vs ceiling`, rel(r, 'ceiling'), 0.5));
      targets.push(judge(`cached negotiated GET, ${name} vs naive`, rel(r, 'naive'), 3));
    }
    if (r.scenario.group === 'dashboard-full') targets.push(judge(`${name} vs Fastify`, rel(r, 'fastify'), 1.0));
    if (r.scenario.group === 'dashboard-summary') targets.push(judge(`${name} vs Fastify`, rel(r, 'fastify'), 0.8));
    if (r.scenario.group === 'revalidate') targets.push(judge(`${name} vs ceiling`, rel(r, 'ceiling'), 0.6));
    if (r.scenario.group === 'redirect') targets.push(judge(`${name} vs ceiling`, rel(r, 'ceiling'), 0.5));
  }
  const failed = results.flatMap((r) => SERVERS.flatMap((server) => (r.runs[server] ?? []).map((x) => x.errors + x.badStatus)));
  const errors = failed.reduce((a, b) => a + b, 0);
  targets.push({ text: `${errors === 0 ? 'PASS' : 'FAIL'}  every response as expected: ${errors} socket errors or statuses ≥ 400`, pass: errors === 0 });
  const peaks = results.map((r) => r.peakRss.facet).filter((x): x is number => typeof x === 'number');
  const peak = peaks.length ? Math.max(...peaks) / 2 ** 20 : NaN;
  targets.push(judge(`Facet peak RSS under load (representation cache bounded at ${(cacheBytes / 2 ** 20).toFixed(0)} MiB by lru-cache maxSize)`, peak, 150, 'MB'));
  return targets;
}

/** The whole report as Markdown: machine, method, a table per scenario, the targets. */
export function renderReport(machine: [string, string][], method: string, results: ScenarioResult[], targets: Target[]): string {
  return [
    '# Facet benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts). Numbers from one noisy machine: compare ratios, not absolutes.',
    '',
    ...machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: ${method}`,
    '',
    ...results.flatMap((r) => [renderScenario(r), '']),
    '## Targets (issue 5)',
    '',
    '```',
    ...targets.map((t) => t.text),
    '```',
    '',
  ].join('\n');
}
