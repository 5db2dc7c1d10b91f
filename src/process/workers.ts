import cluster from 'node:cluster';

/** A worker that dies sooner than this after its start is not restarted at once again (a crash loop). */
const STEADY_MS = 5000;

/**
 * The primary of `WORKERS=N`: forks N workers that share the listening port, replaces one that dies, and on SIGTERM/SIGINT passes the signal on and exits
 * once every worker has finished its own graceful shutdown. It serves nothing and opens no store.
 */
export function superviseWorkers(count: number, say: (line: string) => void): void {
  // The kernel hands connections to workers. With the default round-robin the primary accepts
  // and passes each on, and a connection passed to a worker that has just died hangs unanswered.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  const started = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    say(`facet: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, lived < STEADY_MS ? 1000 : 0);
  });
  for (let i = 0; i < count; i += 1) fork();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
