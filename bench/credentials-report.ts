import type { WindowFigures } from './card-watch-worker';
import type { LoadResult } from './load';
import { median } from './report';
import type { Target } from './report';
import type { Scenario } from './scenarios';
import { writeSection } from './sections';
import type { Section } from './sections';
import { CREDENTIALS } from './sign-in';
import type { Credential, SignInRun } from './sign-in';

/** Where bench/RESULTS.md holds the credentials comparison. */
export const CREDENTIALS_SECTION: Section = {
  begin: '<!-- BEGIN credentials: written by `npm run bench -- --credentials` (bench/credentials.ts) -->',
  end: '<!-- END credentials -->',
};

/** Issue 17: a cookie or a token may cost at most 5 % of the key's req/s. */
export const MIN_RATIO = 0.95;

/** One load run, with the server's CPU time (user + system, all threads) per answer over it. */
export interface CredentialRun extends LoadResult {
  cpuUsPerAnswer: number | null;
}

/** Everything measured for one scenario under each credential. */
export interface CredentialResult {
  scenario: Scenario;
  runs: Partial<Record<Credential, CredentialRun[]>>;
  bodyBytes: number;
}

/** The burst of sign-ins and the card load that ran through it. */
export interface BurstResult {
  burst: SignInRun;
  /** Sign-ins one after the other on the otherwise idle server, and its CPU µs per sign-in over them. */
  alone: SignInRun;
  aloneCpuUs: number | null;
  card: { without: WindowFigures; during: WindowFigures };
}

const LABEL: Record<Credential, string> = { key: 'API key', cookie: 'session cookie', token: 'access token' };
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const us = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
const of = (r: CredentialResult, c: Credential, pick: (x: CredentialRun) => number | null) => median((r.runs[c] ?? []).map((x) => pick(x) ?? NaN));
const rps = (r: CredentialResult, c: Credential) => of(r, c, (x) => x.rps);
const cpu = (r: CredentialResult, c: Credential) => of(r, c, (x) => x.cpuUsPerAnswer);
const each = (pick: (c: Credential) => string) => CREDENTIALS.map(pick).join(' / ');
const request = (s: Scenario) => `\`GET ${s.path}\` ${s.headers.Accept ? `Accept: ${s.headers.Accept.replace('application/vnd.example.', '')}` : ''} → ${s.status}`;

/** The scenarios side by side: median req/s per credential, cookie ÷ key and token ÷ key, the same for CPU per answer, and p50. */
export function renderCredentialSummary(results: CredentialResult[]): string {
  const lines = [
    '| scenario | key req/s | cookie req/s | token req/s | **cookie ÷ key** | **token ÷ key** | CPU µs/answer key / cookie / token | CPU cookie ÷ key | CPU token ÷ key | p50 ms key / cookie / token | errors |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const errors = CREDENTIALS.flatMap((c) => r.runs[c] ?? []).reduce((n, x) => n + x.errors + x.badStatus, 0);
    lines.push(`| ${r.scenario.name} — ${request(r.scenario)} | ${int(rps(r, 'key'))} | ${int(rps(r, 'cookie'))} | ${int(rps(r, 'token'))} | `
      + `**${ratio(rps(r, 'cookie'), rps(r, 'key'))}** | **${ratio(rps(r, 'token'), rps(r, 'key'))}** | `
      + `${each((c) => us(cpu(r, c)))} | ${ratio(cpu(r, 'cookie'), cpu(r, 'key'))} | ${ratio(cpu(r, 'token'), cpu(r, 'key'))} | ${each((c) => ms(of(r, c, (x) => x.p50Ms)))} | ${errors} |`);
  }
  return lines.join('\n');
}

/** A row per scenario and credential: every run's req/s, latencies, CPU per answer and bytes. */
export function renderCredentialRuns(results: CredentialResult[]): string {
  const lines = [
    '| scenario | credential | req/s (median) | runs req/s | p50 ms | p99 ms | CPU µs/answer (runs) | body B | wire B/resp | errors |',
    '|---|---|--:|---|--:|--:|---|--:|--:|--:|',
  ];
  for (const r of results) {
    for (const c of CREDENTIALS) {
      const runs = r.runs[c] ?? [];
      lines.push(`| ${r.scenario.name} | ${LABEL[c]} | ${int(rps(r, c))} | ${runs.map((x) => int(x.rps)).join(' / ')} | ${ms(of(r, c, (x) => x.p50Ms))} | ${ms(of(r, c, (x) => x.p99Ms))} | `
        + `${runs.map((x) => us(x.cpuUsPerAnswer ?? NaN)).join(' / ')} | ${int(r.bodyBytes)} | ${int(of(r, c, (x) => x.wireBytes))} | ${runs.reduce((n, x) => n + x.errors + x.badStatus, 0)} |`);
    }
  }
  return lines.join('\n');
}

function judge(label: string, value: number, pass: (v: number) => boolean, bound: string): Target {
  if (!Number.isFinite(value)) return { text: `${label}: not measured`, pass: null };
  return { text: `${pass(value) ? 'PASS' : 'FAIL'}  ${label} ${value.toFixed(3)}× (target ${bound})`, pass: pass(value) };
}

/**
 * Issue 17's target on the medians: each credential at least 95 % of the key's req/s; the same
 * bound on the server's CPU per answer (at most 1/0.95 of the key's), which the machine's noise
 * moves less than it moves req/s; and no errors.
 */
export function judgeCredentials(results: CredentialResult[]): Target[] {
  const maxCpu = 1 / MIN_RATIO;
  const targets = results.flatMap((r) => (['cookie', 'token'] as const).flatMap((c) => [
    judge(`${r.scenario.name}: req/s with the ${LABEL[c]} ÷ with the API key`, rps(r, c) / rps(r, 'key'), (v) => v >= MIN_RATIO, `≥ ${MIN_RATIO}×`),
    judge(`${r.scenario.name}: CPU per answer with the ${LABEL[c]} ÷ with the API key`, cpu(r, c) / cpu(r, 'key'), (v) => v <= maxCpu, `≤ ${maxCpu.toFixed(2)}×`),
  ]));
  const errors = results.flatMap((r) => CREDENTIALS.flatMap((c) => r.runs[c] ?? [])).reduce((n, x) => n + x.errors + x.badStatus, 0);
  targets.push({ text: `${errors === 0 ? 'PASS' : 'FAIL'}  every response as expected: ${errors} socket errors or statuses ≥ 400`, pass: errors === 0 });
  return targets;
}

const seconds = (n: number) => `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
const statuses = (run: SignInRun) => Object.entries(run.statuses).map(([s, n]) => `${n} × ${s === '0' ? 'no answer' : s}`).join(', ');

/** The card under load without and during the burst, and what the sign-ins themselves took. */
export function renderBurst(b: BurstResult): string {
  const sorted = [...b.burst.latencies].sort((x, y) => x - y);
  const row = (label: string, w: WindowFigures) => `| ${label} | ${int(w.answers)} | ${int(w.rps)} | ${ms(w.p50Ms)} | ${ms(w.p99Ms)} | ${w.errors + w.badStatus} |`;
  const { without, during } = b.card;
  return [
    '| card summary (`GET /api/links/facet`, no credential) | answers | req/s | p50 ms | p99 ms | errors |',
    '|---|--:|--:|--:|--:|--:|',
    row('without a burst (the seconds just before it)', without),
    row(`during the burst (${seconds(b.burst.toMs - b.burst.fromMs)}, first sign-in sent to last answered)`, during),
    `| **during ÷ without** | | **${ratio(during.rps, without.rps)}** | **${ratio(during.p50Ms, without.p50Ms)}** | **${ratio(during.p99Ms, without.p99Ms)}** | |`,
    '',
    '| sign-ins (`POST /api/session`, demo password, scrypt 2^17) | n | p50 | p90 | min / max | answers | server CPU per sign-in |',
    '|---|--:|--:|--:|--:|---|--:|',
    `| in a burst, all sent at once, beside the card load | ${b.burst.latencies.length} | **${seconds(median(sorted))}** | ${seconds(sorted[Math.ceil(sorted.length * 0.9) - 1] ?? NaN)} | `
      + `${seconds(sorted[0] ?? NaN)} / ${seconds(sorted[sorted.length - 1] ?? NaN)} | ${statuses(b.burst)} | |`,
    `| one after the other, idle server | ${b.alone.latencies.length} | ${seconds(median(b.alone.latencies))} | | ${seconds(Math.min(...b.alone.latencies))} / ${seconds(Math.max(...b.alone.latencies))} | `
      + `${statuses(b.alone)} | ${b.aloneCpuUs === null ? '–' : `${(b.aloneCpuUs / 1000).toFixed(0)} ms`} |`,
  ].join('\n');
}

/** Writes the credentials section into `file`, replacing an earlier one and keeping everything else. */
export function writeCredentialsSection(file: string, parts: { machine: [string, string][]; method: string; results: CredentialResult[]; targets: Target[]; burst: BurstResult | null; notes: string[] }): void {
  const section = [
    CREDENTIALS_SECTION.begin,
    '## Credentials: session cookie and access token beside the API key; a burst of sign-ins (issue 17)',
    '',
    ...parts.machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: ${parts.method}`,
    '',
    renderCredentialSummary(parts.results),
    '',
    '```',
    ...parts.targets.map((t) => t.text),
    '```',
    '',
    ...(parts.burst ? ['#### Sign-in burst and the card read load', '', renderBurst(parts.burst), ''] : []),
    ...parts.notes.flatMap((n) => [n, '']),
    '#### Every run',
    '',
    renderCredentialRuns(parts.results),
    CREDENTIALS_SECTION.end,
  ].join('\n');
  writeSection(file, CREDENTIALS_SECTION, section);
}
