import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startService } from './service-process';

const VISITS = 25;

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
