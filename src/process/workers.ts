import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { answerScrapes } from './cluster-metrics';

/** A worker that dies sooner than this after its start is not restarted at once again (a crash loop). */
const STEADY_MS = 5000;

/** What a worker that cannot start sends its primary instead of printing: the one line the primary prints. */
interface StartupFailed {
  type: 'facet:startup-failed';
  line: string;
}
const isStartupFailed = (m: unknown): m is StartupFailed =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'facet:startup-failed' && typeof (m as { line?: unknown }).line === 'string';

/**
 * Ends a process whose start-up failed, with `line` on stderr and exit code 1. A worker hands the
 * line to its primary instead, which prints it once for all of them.
 */
export function exitWithStartupFailure(line: string): void {
  const printAndExit = () => {
    process.stderr.write(`${line}\n`);
    process.exit(1);
  };
  if (!cluster.isWorker || !process.connected || !process.send) return printAndExit();
  process.send({ type: 'facet:startup-failed', line } satisfies StartupFailed, undefined, {}, (err) => (err ? printAndExit() : process.exit(1)));
}

/** Where the primary writes: progress lines, and the line it exits 1 with. */
export interface SupervisorOutput {
  say(line: string): void;
  fail(line: string): void;
}

/**
 * The primary of `WORKERS=N`: forks N workers that share the listening port and replaces one that
 * dies. Until one has listened, a worker that ends gives up the whole start: the primary prints
 * that worker's line and exits 1 (retrying a missing role or a busy port would loop forever).
 * On SIGTERM/SIGINT it passes the signal on and exits once every worker has finished its own
 * graceful shutdown. It serves nothing and opens no store; it sums the workers' /metrics.
 */
export function superviseWorkers(count: number, out: SupervisorOutput): void {
  // The kernel hands connections to workers. With the default round-robin the primary accepts
  // and passes each on, and a connection passed to a worker that has just died hangs unanswered.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  let exitCode = 0;
  let anyListened = false;
  let live = 0;
  const started = new Map<number, number>();
  const listening = new Set<Worker>();
  const failures = new Map<number, string>();
  const fork = () => {
    const worker = cluster.fork();
    live += 1;
    started.set(worker.id, Date.now());
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };

  const ended = (worker: Worker, code: number | null, signal: string | null) => {
    live -= 1;
    listening.delete(worker);
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    const line = failures.get(worker.id);
    failures.delete(worker.id);
    if (stopping) {
      if (live === 0) process.exit(exitCode);
      return;
    }
    if (!anyListened) {
      out.fail(line ?? `facet: worker ${worker.process.pid} exited (${signal ?? code}) before it listened; not starting another`);
      exitCode = 1;
      stop('SIGTERM');
      if (live === 0) process.exit(exitCode);
      return;
    }
    if (line !== undefined) out.fail(line);
    out.say(`facet: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(() => { if (!stopping) fork(); }, lived < STEADY_MS ? 1000 : 0);
  };

  cluster.on('listening', (worker) => {
    anyListened = true;
    listening.add(worker);
  });
  cluster.on('message', (worker, message: unknown) => {
    if (isStartupFailed(message)) failures.set(worker.id, message.line);
  });
  // A worker's last message may be read after its 'exit': decide once its channel has closed too.
  cluster.on('exit', (worker, code, signal) => {
    if (worker.isConnected()) worker.once('disconnect', () => ended(worker, code, signal));
    else ended(worker, code, signal);
  });
  answerScrapes(() => [...listening]);
  for (let i = 0; i < count; i += 1) fork();
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
