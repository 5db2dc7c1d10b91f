import type { CompressionScenario, LoadedCoding, MeasuredSize } from './compression-fixtures';
import type { LoadResult } from './load';
import { median } from './report';
import { writeSection } from './sections';
import type { Section } from './sections';

/** The servers compared, each Facet beside the Fastify peer that logs as it does. */
export const COMPRESSION_SERVERS = ['facet', 'fastify-log', 'facet-quiet', 'fastify'] as const;
export type CompressionServer = (typeof COMPRESSION_SERVERS)[number];

/** Facet ÷ this peer is the ratio each Facet is judged by. */
export const PEER = { facet: 'fastify-log', 'facet-quiet': 'fastify' } as const;

const LABEL: Record<CompressionServer, string> = {
  facet: 'Facet (LOG_LEVEL=info), compressed once per version',
  'fastify-log': 'Fastify 5 + @fastify/compress, logger: true',
  'facet-quiet': 'Facet (LOG_LEVEL=warn), compressed once per version',
  fastify: 'Fastify 5 + @fastify/compress, logger: false',
};

/** Where bench/RESULTS.md holds the compression comparison. */
export const COMPRESSION_SECTION: Section = {
  begin: '<!-- BEGIN compression: written by `npm run bench -- --compression` (bench/compression.ts) -->',
  end: '<!-- END compression -->',
};

/** Everything measured for one compressed scenario. */
export interface CompressionResult {
  scenario: CompressionScenario;
  runs: Partial<Record<CompressionServer, LoadResult[]>>;
  /** The body's bytes as each server sent them (coded, unless identity). */
  bodyBytes: Partial<Record<CompressionServer, number>>;
}

const int = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
const of = (r: CompressionResult, server: CompressionServer, pick: (x: LoadResult) => number) => median((r.runs[server] ?? []).map(pick));

/** One table per scenario: a row per server, its runs, latencies, bytes and Facet ÷ its peer. */
export function renderCompressionScenario(r: CompressionResult): string {
  const lines = [
    `#### ${r.scenario.name} — \`GET ${r.scenario.path}\` Accept: full; ${r.scenario.coding === 'identity' ? 'no Accept-Encoding' : `Accept-Encoding: ${r.scenario.coding}`}; demo user key → 200`,
    '',
    '| server | req/s (median) | runs req/s | p50 ms | p99 ms | body B as sent | wire B/resp | Facet ÷ peer | errors |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const server of COMPRESSION_SERVERS) {
    const runs = r.runs[server];
    if (!runs?.length) continue;
    const rps = of(r, server, (x) => x.rps);
    const peer = server === 'facet' || server === 'facet-quiet' ? ratio(rps, of(r, PEER[server], (x) => x.rps)) : '';
    lines.push(`| ${LABEL[server]} | ${int(rps)} | ${runs.map((x) => int(x.rps)).join(' / ')} | ${ms(of(r, server, (x) => x.p50Ms))} | ${ms(of(r, server, (x) => x.p99Ms))} | `
      + `${int(r.bodyBytes[server])} | ${int(of(r, server, (x) => x.wireBytes))} | ${peer} | ${runs.reduce((n, x) => n + x.errors + x.badStatus, 0)} |`);
  }
  return lines.join('\n');
}

/**
 * The scenarios side by side: median req/s, the two Facet ÷ Fastify ratios, what compressing
 * keeps of each logging server's own identity rate on the same resource, and bytes on the wire.
 */
export function renderCompressionSummary(results: CompressionResult[]): string {
  const lines = [
    '| scenario | Facet info req/s | Fastify+compress log req/s | **info ÷ log** | Facet warn req/s | Fastify+compress silent req/s | **warn ÷ silent** '
      + '| Facet info ÷ its identity | Fastify log ÷ its identity | wire B/resp Facet / Fastify |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const rps = (x: CompressionResult, s: CompressionServer) => of(x, s, (l) => l.rps);
    const identity = results.find((x) => x.scenario.resource === r.scenario.resource && x.scenario.coding === 'identity');
    const kept = (s: CompressionServer) => (identity && r !== identity ? ratio(rps(r, s), rps(identity, s)) : '');
    lines.push(`| ${r.scenario.name} | ${int(rps(r, 'facet'))} | ${int(rps(r, 'fastify-log'))} | **${ratio(rps(r, 'facet'), rps(r, 'fastify-log'))}** | `
      + `${int(rps(r, 'facet-quiet'))} | ${int(rps(r, 'fastify'))} | **${ratio(rps(r, 'facet-quiet'), rps(r, 'fastify'))}** | `
      + `${kept('facet')} | ${kept('fastify-log')} | ${int(of(r, 'facet', (x) => x.wireBytes))} / ${int(of(r, 'fastify-log', (x) => x.wireBytes))} |`);
  }
  return lines.join('\n');
}

/** Bytes of each answer per requested coding; a coding not applied (a body under the threshold) says so. */
export function renderSizes(sizes: MeasuredSize[]): string {
  const cell = (s: MeasuredSize, coding: LoadedCoding) => {
    const { bytes, encoding } = s.sizes[coding];
    return encoding === coding ? int(bytes) : `${int(bytes)} (sent ${encoding})`;
  };
  return [
    '| answer | identity | gzip | br |',
    '|---|--:|--:|--:|',
    ...sizes.map((s) => `| ${s.answer} | ${cell(s, 'identity')} | ${cell(s, 'gzip')} | ${cell(s, 'br')} |`),
  ].join('\n');
}

/** Writes the compression section into `file`, replacing an earlier one and keeping everything else. */
export function writeCompressionSection(file: string, parts: { machine: [string, string][]; method: string; results: CompressionResult[]; sizes: MeasuredSize[]; notes: string[] }): void {
  const section = [
    COMPRESSION_SECTION.begin,
    '## Compression: Facet against Fastify with @fastify/compress (issue 14)',
    '',
    ...parts.machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: ${parts.method}`,
    '',
    renderCompressionSummary(parts.results),
    '',
    ...parts.notes.flatMap((n) => [n, '']),
    ...parts.results.flatMap((r) => [renderCompressionScenario(r), '']),
    '#### Sizes Facet sends (body bytes, measured before the load)',
    '',
    renderSizes(parts.sizes),
    COMPRESSION_SECTION.end,
  ].join('\n');
  writeSection(file, COMPRESSION_SECTION, section);
}
