import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CAN_PIN } from './processes';
import { PROJECT } from './settings';

const PACKAGES = ['express', 'fastify', 'fast-json-stringify', '@fastify/compress', 'autocannon', 'better-sqlite3', 'lru-cache', 'negotiator'];

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    const file = path.join(PROJECT, 'node_modules', name, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function sourceTree(): string {
  // A run from an export of one commit (git archive, no .git) is told which commit it is.
  if (process.env.BENCH_SOURCE) return process.env.BENCH_SOURCE;
  const git = (...args: string[]) => spawnSync('git', args, { cwd: PROJECT }).stdout?.toString().trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD');
  if (!head) return 'not a git checkout (set BENCH_SOURCE to name the commit)';
  return git('status', '--porcelain', '--untracked-files=no') ? `${head} plus uncommitted changes` : head;
}

/** The machine and versions a result was measured on, as `label: value` lines. */
export function describeMachine(loadTool: string): [string, string][] {
  const wrk = loadTool === 'wrk' ? (spawnSync('wrk', ['--version']).stdout?.toString().split('\n')[0]?.trim() ?? 'wrk') : '';
  return [
    ['CPUs (nproc)', String(os.availableParallelism())],
    ['CPU model', cpuModel()],
    ['Node', process.version],
    ['OS', `${os.type()} ${os.release()} ${os.arch()}`],
    ['load generator', loadTool === 'wrk' ? `${wrk} (1 thread)` : loadTool === 'autocannon' ? `autocannon ${packageVersion('autocannon')}` : loadTool],
    ['CPU pinning', CAN_PIN ? 'taskset: servers on CPU 0, load on CPU 1' : 'none (taskset unavailable)'],
    ['packages', PACKAGES.map((p) => `${p} ${packageVersion(p)}`).join(', ')],
    ['source', sourceTree()],
  ];
}
