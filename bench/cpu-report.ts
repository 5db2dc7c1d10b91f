import type { CpuServer } from './cpu-servers';
import { CPU_LABEL, CPU_PEER, CPU_SERVERS } from './cpu-servers';
import type { LoadResult } from './load';
import { median } from './report';
import type { Scenario } from './scenarios';
import { writeSection } from './sections';
import type { Section } from './sections';

/** One measured run: the load's figures and the server's CPU per answer. */
export type CpuRun = LoadResult & { cpuUsPerAnswer: number | null };

/** Every run of every server in one scenario. */
export interface CpuResult {
  scenario: Scenario;
  runs: Partial<Record<CpuServer, CpuRun[]>>;
}

/** The part of bench/RESULTS.md that `npm run bench -- --cpu` writes and every other mode keeps. */
export const CPU_SECTION: Section = { begin: '<!-- BEGIN cpu per answer', end: '<!-- END cpu per answer -->' };

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const us = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');

/** Median CPU µs per answer of a server in a scenario (NaN when not run). */
export function medianCpu(r: CpuResult, server: CpuServer): number {
  return median((r.runs[server] ?? []).map((x) => x.cpuUsPerAnswer).filter((x): x is number => x !== null));
}

const medianRps = (r: CpuResult, server: CpuServer) => median((r.runs[server] ?? []).map((x) => x.rps));

const title = (s: Scenario) => `${s.name} — \`GET ${s.path}\` ${Object.entries(s.headers).filter(([k]) => k !== 'Authorization').map(([k, v]) => `${k}: ${v}`).join('; ')}`
  + `${s.headers.Authorization ? ' (demo user key)' : ''} → ${s.status}`;

/** One scenario: a row per server, CPU per answer first, ratios of CPU against the matching Fastify and the ceiling. */
export function renderCpuScenario(r: CpuResult): string {
  const lines = [
    `#### ${title(r.scenario)}`,
    '',
    '| server | CPU µs/answer (median) | runs µs | req/s (median) | runs req/s | p50 ms | CPU ÷ matching Fastify | CPU ÷ ceiling | answers/run | errors |',
    '|---|--:|---|--:|---|--:|--:|--:|--:|--:|',
  ];
  const ceiling = medianCpu(r, 'ceiling');
  for (const server of CPU_SERVERS) {
    const runs = r.runs[server];
    if (!runs?.length) continue;
    const cpu = medianCpu(r, server);
    const peer = CPU_PEER[server];
    const errors = runs.reduce((n, x) => n + x.errors + x.badStatus, 0);
    lines.push(`| ${CPU_LABEL[server]} | ${us(cpu)} | ${runs.map((x) => us(x.cpuUsPerAnswer ?? NaN)).join(' / ')} | ${int(medianRps(r, server))} | `
      + `${runs.map((x) => int(x.rps)).join(' / ')} | ${median(runs.map((x) => x.p50Ms)).toFixed(2)} | ${peer ? ratio(cpu, medianCpu(r, peer)) : ''} | `
      + `${server === 'ceiling' ? '' : ratio(cpu, ceiling)} | ${int(median(runs.map((x) => x.requests)))} | ${errors} |`);
  }
  return lines.join('\n');
}

/** One row per scenario: each server's median CPU per answer and the ratios the issue asks for. */
export function renderCpuSummary(results: CpuResult[]): string {
  const lines = [
    '| scenario | Facet info µs | Fastify log µs | **info ÷ log** | Facet warn µs | Fastify silent µs | **warn ÷ silent** | ceiling µs | **info ÷ ceiling** | **warn ÷ ceiling** | req/s Facet info / warn · Fastify log / silent · ceiling |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const c = (s: CpuServer) => medianCpu(r, s);
    const rps = `${int(medianRps(r, 'facet'))} / ${int(medianRps(r, 'facet-quiet'))} · ${int(medianRps(r, 'fastify-log'))} / ${int(medianRps(r, 'fastify'))} · ${int(medianRps(r, 'ceiling'))}`;
    lines.push(`| ${r.scenario.name} | ${us(c('facet'))} | ${us(c('fastify-log'))} | **${ratio(c('facet'), c('fastify-log'))}** | ${us(c('facet-quiet'))} | ${us(c('fastify'))} | `
      + `**${ratio(c('facet-quiet'), c('fastify'))}** | ${us(c('ceiling'))} | **${ratio(c('facet'), c('ceiling'))}** | **${ratio(c('facet-quiet'), c('ceiling'))}** | ${rps} |`);
  }
  return lines.join('\n');
}

/** Writes the section: machine, method, the summary, a table per scenario. */
export function writeCpuSection(file: string, o: { machine: [string, string][]; method: string; results: CpuResult[] }): void {
  const body = [
    `${CPU_SECTION.begin}: written by \`npm run bench -- --cpu\` (bench/cpu-bench.ts) -->`,
    '## CPU per answer: Facet, Fastify and the ceiling (issue 18)',
    '',
    ...o.machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: ${o.method}`,
    '',
    'CPU per answer is what a server pays for one answer whatever the load generator manages; req/s is beside it. Lower is better; a ratio above 1× is Facet paying more.',
    '',
    renderCpuSummary(o.results),
    '',
    ...o.results.flatMap((r) => [renderCpuScenario(r), '']),
    CPU_SECTION.end,
  ].join('\n');
  writeSection(file, CPU_SECTION, body);
}
