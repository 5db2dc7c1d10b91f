import fs from 'node:fs';

/** Resident set size of a process in bytes, from /proc (Linux); null where it cannot be read. */
export function rssOf(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; `stop()` returns the peak seen (null if none). */
export function watchRss(pid: number, everyMs = 200): { stop(): number | null } {
  let peak: number | null = null;
  const sample = () => {
    const rss = rssOf(pid);
    if (rss !== null && (peak === null || rss > peak)) peak = rss;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
