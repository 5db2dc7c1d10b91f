import { top } from './cpu-profile-attribution';
import type { Attribution } from './cpu-profile-attribution';
import { PROFILE_NOTES } from './cpu-profile-notes';

const us = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2));
/** Facet's own code and the framework it runs on, the frames whose inclusive time says what a layer costs. */
const LAYERS = /— (src\/|representations\/|express|router|finalhandler|negotiator|lru-cache|prom-client|pino)/;

function moduleTable(facet: Attribution, fastify: Attribution, proc: [number, number]): string[] {
  const names = new Set([...top(facet.modules, 16), ...top(fastify.modules, 8)].map(([m]) => m));
  const rows = [...names].sort((a, b) => (facet.modules.get(b) ?? 0) - (facet.modules.get(a) ?? 0));
  return [
    '| module (self time) | Facet warn µs/answer | Fastify silent µs/answer | Facet − Fastify | Facet incl. µs |',
    '|---|--:|--:|--:|--:|',
    ...rows.map((m) => {
      const [f, p] = [facet.modules.get(m) ?? 0, fastify.modules.get(m) ?? 0];
      return `| ${m} | ${us(f)} | ${us(p)} | ${us(f - p)} | ${us(facet.inclusiveModules.get(m))} |`;
    }),
    `| **all sampled main-thread time (not idle)** | **${us(facet.busyUs)}** | **${us(fastify.busyUs)}** | **${us(facet.busyUs - fastify.busyUs)}** | |`,
    `| process CPU under the profiler (/proc, all threads) | ${us(proc[0])} | ${us(proc[1])} | ${us(proc[0] - proc[1])} | |`,
  ];
}

function functionTable(a: Attribution, n: number): string[] {
  return ['| function — where (self time) | µs/answer |', '|---|--:|', ...top(a.functions, n).map(([f, v]) => `| ${f.replace(/\|/g, '\\|')} | ${us(v)} |`)];
}

function layerTable(a: Attribution, n: number): string[] {
  const layers = [...a.inclusiveFunctions.entries()].filter(([f]) => LAYERS.test(f)).sort((x, y) => y[1] - x[1]).slice(0, n);
  return ['| function — where (inclusive: it and all it calls) | µs/answer |', '|---|--:|', ...layers.map(([f, v]) => `| ${f.replace(/\|/g, '\\|')} | ${us(v)} |`)];
}

/** The section's body: method, and per scenario the module comparison and Facet's top functions, then the notes written by hand. */
export function renderProfileSection(o: {
  machine: [string, string][]; count: number; intervalUs: number; facet: Attribution[]; fastify: Attribution[]; procCpu: Record<string, number[]>;
}): string {
  const lines = [
    '## Where the microseconds go: Facet at LOG_LEVEL=warn against Fastify with logger: false (issue 18)',
    '',
    ...o.machine.map(([k, v]) => `- **${k}**: ${v}`),
    `- **method**: each server under \`node --cpu-prof --cpu-prof-interval ${o.intervalUs}\` (one process each, pinned to the server CPU), loaded by bench/count-load-worker.ts `
      + `with ${o.count.toLocaleString('en-US')} answers per scenario after a warm-up; each sample's time (until the next sample) is given to the function on top of its stack (self) `
      + 'and to every function and module on it (incl.), counted only inside the load\'s window and divided by the answers sent in it. Main thread only: '
      + 'the profile does not see libuv\'s threads; the profiler itself adds to the /proc row. Modules: ours by source file, packages by name, `node:` by built-in module, '
      + '"(native, called from JS)" for C++ built-ins (writev, writeUtf8String, …), "(program)" for V8 and libuv outside JS',
    '',
  ];
  o.facet.forEach((facet, i) => {
    const fastify = o.fastify[i]!;
    lines.push(`### ${facet.window.label}`, '', ...moduleTable(facet, fastify, [o.procCpu['facet-quiet']?.[i] ?? NaN, o.procCpu.fastify?.[i] ?? NaN]), '');
    lines.push(`Facet's top functions, ${facet.window.label}:`, '', ...functionTable(facet, 20), '', ...layerTable(facet, 20), '');
    lines.push(`Fastify's top functions, ${facet.window.label}:`, '', ...functionTable(fastify, 10), '');
  });
  return [...lines, ...PROFILE_NOTES].join('\n');
}
