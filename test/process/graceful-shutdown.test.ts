import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startService } from './service-process';

const VISITS = 25;
const CLIENTS = 32;

describe('graceful shutdown of the real service', () => {
  it('writes every pending click before it exits on SIGTERM', async () => {
    // A flush interval far longer than the test: only the shutdown can write these clicks.
    const service = await startService({ CLICK_FLUSH_MS: '60000' });
    try {
      const before = new Database(path.join(service.dataDir, 'facet.db'), { readonly: true });
      const initial = (before.prepare("SELECT click_count FROM links WHERE code = 'facet'").get() as { click_count: number }).click_count;
      before.close();
      for (let i = 0; i < VISITS; i += 1) {
        const res = await fetch(`${service.baseUrl}/facet`, { redirect: 'manual', headers: { 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' } });
        expect(res.status).toBe(302);
      }
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain(`flushing ${VISITS} pending clicks`);
      const db = new Database(path.join(service.dataDir, 'facet.db'), { readonly: true });
      const after = db.prepare("SELECT click_count FROM links WHERE code = 'facet'").get() as { click_count: number };
      const desktop = db.prepare(
        "SELECT COALESCE(SUM(d.clicks), 0) AS n FROM click_daily d JOIN links l ON l.row_id = d.link_row_id WHERE l.code = 'facet' AND d.dimension = 'device' AND d.value = 'desktop' AND d.day = date('now')",
      ).get() as { n: number };
      db.close();
      expect(after.click_count).toBe(initial + VISITS);
      expect(desktop.n).toBeGreaterThanOrEqual(VISITS);
    } finally {
      service.child.kill('SIGKILL');
      fs.rmSync(service.dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

/** One keep-alive client loop: requests until a new connection is refused; counts answers and other failures. */
async function keepAliveLoop(url: string, agent: http.Agent, tally: { answered: number; neverAccepted: number; failures: string[] }, onAnswer: () => void): Promise<void> {
  for (;;) {
    const outcome = await new Promise<'ok' | 'refused'>((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200 || body.length !== Number(res.headers['content-length'])) tally.failures.push(`incomplete answer ${res.statusCode}`);
          else tally.answered += 1;
          onAnswer();
          resolve('ok');
        });
        res.on('error', (err: NodeJS.ErrnoException) => { tally.failures.push(`${err.code ?? err.message} mid-body`); resolve('ok'); });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A connection the stopped listener refuses is how a client learns the service is gone. A
        // new connection still in the kernel's accept queue when the listener closes is reset by
        // the kernel: the service never received it. Only a reused connection can lose a request.
        if (err.code === 'ECONNREFUSED') resolve('refused');
        else if (err.code === 'ECONNRESET' && !req.reusedSocket) { tally.neverAccepted += 1; resolve('refused'); }
        else { tally.failures.push(`${err.code ?? err.message} on a kept-alive connection`); resolve('ok'); }
      });
    });
    if (outcome === 'refused') return;
  }
}

describe('graceful shutdown under keep-alive load', () => {
  it('answers every request it received, resets none, and exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_MS: '8000' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    try {
      const tally = { answered: 0, neverAccepted: 0, failures: [] as string[] };
      let warmedUp: () => void = () => undefined;
      const warm = new Promise<void>((resolve) => { warmedUp = resolve; });
      const onAnswer = () => { if (tally.answered >= 300) warmedUp(); };
      const urls = [`${service.baseUrl}/api/links/facet`, `${service.baseUrl}/healthz`, `${service.baseUrl}/api/links/rfc9457`];
      const loops = Array.from({ length: CLIENTS }, (_, i) => keepAliveLoop(urls[i % urls.length]!, agent, tally, onAnswer));
      await warm;
      const signalled = Date.now();
      service.child.kill('SIGTERM');
      await Promise.all(loops);
      expect(await service.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(8000);
      expect(tally.failures).toEqual([]);
      expect(tally.answered).toBeGreaterThanOrEqual(300);
    } finally {
      agent.destroy();
      service.child.kill('SIGKILL');
      fs.rmSync(service.dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
