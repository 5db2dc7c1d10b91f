import type { LoadResult } from './load';
import type { Scenario } from './scenarios';

/** The servers compared in every scenario. */
export const SERVERS = ['facet', 'facet-quiet', 'ceiling', 'naive', 'fastify', 'fastify-log'] as const;
export type ServerName = (typeof SERVERS)[number];

const LABEL: Record<ServerName, string> = {
  facet: 'Facet (LOG_LEVEL=info: a log line per request)',
  'facet-quiet': 'Facet (LOG_LEVEL=warn: no request log)',
  ceiling: 'ceiling (raw node:http, precomputed bytes)',
  naive: 'naive peer (Express 5, res.format + res.json)',
  fastify: 'Fastify 5 + response schemas, logger: false',
  'fastify-log': 'Fastify 5 + response schemas, logger: true',
};

/** Each Facet is compared with the Fastify peer that logs as it does. */
const PEER: Partial<Record<ServerName, ServerName>> = { facet: 'fastify-log', 'facet-quiet': 'fastify' };

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

/** The median, NaN for none. */
export function median(values: number[]): number {
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
  const base = { ceiling: medianRps(r, 'ceiling'), naive: medianRps(r, 'naive') };
  const lines = [
    `### ${r.scenario.name} — \`GET ${r.scenario.path}\` ${Object.entries(r.scenario.headers).map(([k, v]) => `${k}: ${v}`).join('; ')} → ${r.scenario.status}`,
    '',
    '| server | req/s (median) | runs req/s | p50 ms | p99 ms | body B | wire B/resp | × ceiling | × naive | × matching Fastify | peak RSS MB | errors |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const server of SERVERS) {
    const runs = r.runs[server];
    if (!runs?.length) continue;
    const rps = medianRps(r, server);
    const errors = runs.reduce((n, x) => n + x.errors + x.badStatus, 0);
    lines.push(`| ${LABEL[server]} | ${int(rps)} | ${runs.map((x) => int(x.rps)).join(' / ')} | ${ms(median(runs.map((x) => x.p50Ms)))} | ${ms(median(runs.map((x) => x.p99Ms)))} | `
      + `${int(r.bodyBytes[server] ?? NaN)} | ${int(median(runs.map((x) => x.wireBytes)))} | ${ratio(rps, base.ceiling)} | ${ratio(rps, base.naive)} | ${PEER[server] ? ratio(rps, medianRps(r, PEER[server])) : ''} | `
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
  const rel = (r: ScenarioResult, facet: ServerName, to: ServerName) => medianRps(r, facet) / medianRps(r, to);
  for (const r of results) {
    const name = r.scenario.name;
    targets.push(judge(`${name}: Facet (request log) vs Fastify logger: true`, rel(r, 'facet', 'fastify-log'), 1.0));
    targets.push(judge(`${name}: Facet (LOG_LEVEL=warn) vs Fastify logger: false`, rel(r, 'facet-quiet', 'fastify'), 1.0));
    targets.push(judge(`${name}: Facet (request log) vs ceiling`, rel(r, 'facet', 'ceiling'), 0.7));
  }
  const failed = results.flatMap((r) => SERVERS.flatMap((server) => (r.runs[server] ?? []).map((x) => x.errors + x.badStatus)));
  const errors = failed.reduce((a, b) => a + b, 0);
  targets.push({ text: `${errors === 0 ? 'PASS' : 'FAIL'}  every response as expected: ${errors} socket errors or statuses ≥ 400`, pass: errors === 0 });
  const peaks = results.flatMap((r) => [r.peakRss.facet, r.peakRss['facet-quiet']]).filter((x): x is number => typeof x === 'number');
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
    '## Targets (issue 12)',
    '',
    '```',
    ...targets.map((t) => t.text),
    '```',
    '',
  ].join('\n');
}
