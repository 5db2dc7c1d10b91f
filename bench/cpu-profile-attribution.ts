import fs from 'node:fs';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of the profile, in the monotonic µs V8 stamps samples with (process.hrtime's clock), and the answers sent in it. */
export interface ProfileWindow {
  label: string;
  fromUs: number;
  toUs: number;
  answers: number;
}

/** Self time in a window, in µs per answer, by function and by module. */
export interface Attribution {
  window: ProfileWindow;
  /** Busy main-thread time sampled per answer ((idle) left out). */
  busyUs: number;
  functions: Map<string, number>;
  modules: Map<string, number>;
  /** Time with the function, or the module, anywhere on the stack: what it and all it calls cost. */
  inclusiveFunctions: Map<string, number>;
  inclusiveModules: Map<string, number>;
}

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Where a frame's code lives: a file of ours (dist/… mapped to its .ts), a package, a node: module, or a native function. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return SPECIAL.has(functionName) ? functionName : '(native, called from JS)';
  if (url.startsWith('node:')) return url;
  const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/dist\/((?:src|representations|bench)\/.*)\.js$/.exec(url);
  return ours ? `${ours[1]}.ts` : url;
}

const frameName = (f: CpuProfile['nodes'][number]['callFrame']) => {
  const where = moduleOf(f.url, f.functionName);
  const name = f.functionName || '(anonymous)';
  return SPECIAL.has(name) && !f.url ? name : `${name} — ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
};

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** Reads a .cpuprofile and attributes each window's self time, per answer. */
export function attribute(file: string, windows: ProfileWindow[]): Attribution[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out: Attribution[] = windows.map((window) => ({
    window, busyUs: 0, functions: new Map(), modules: new Map(), inclusiveFunctions: new Map(), inclusiveModules: new Map(),
  }));
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const span = profile.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(profile.samples[i]!);
    if (!frame || frame.functionName === '(idle)') continue;
    const a = out.find((w) => t >= w.window.fromUs && t < w.window.toUs);
    if (!a) continue;
    const perAnswer = span / a.window.answers;
    a.busyUs += perAnswer;
    add(a.functions, frameName(frame), perAnswer);
    add(a.modules, moduleOf(frame.url, frame.functionName), perAnswer);
    const fns = new Set<string>();
    const mods = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!;
      fns.add(frameName(f));
      mods.add(moduleOf(f.url, f.functionName));
    }
    for (const f of fns) add(a.inclusiveFunctions, f, perAnswer);
    for (const m of mods) add(a.inclusiveModules, m, perAnswer);
  }
  return out;
}

/** The profile's first sample time, to check that it shares the bench's clock. */
export function profileStart(file: string): number {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile).startTime;
}

/** The largest entries of a map, largest first. */
export function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}
