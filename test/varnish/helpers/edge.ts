import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../../process/service-process';
import type { ServiceProcess } from '../../process/service-process';
import { backendHealth, startVarnish, stop, waitFor } from './processes';
import type { Varnish } from './processes';
import { backendName, writeVcl } from './vcl';

/** One Facet process behind the VCL, and the backend name the VCL gives it. */
export interface Instance {
  name: string;
  port: number;
  process: ServiceProcess;
}

/** Facet instances behind two varnishd on default parameters: `cached` runs the shipped VCL, `plain` the same without normalisation. */
export interface Edge {
  instances: Instance[];
  cached: Varnish;
  plain: Varnish;
  stop(): Promise<void>;
}

/** Every instance builds short URLs (and ETags) from this one public origin. */
const PUBLIC_BASE_URL = 'http://localhost:6081';

/** The browser origin every instance grants (CORS_ORIGINS), and the VCL keeps. */
export const APP_ORIGIN = 'https://app.example';

/**
 * Below the default 1024 so that the full link card (~360 bytes) is compressed and the summary
 * card (~110 bytes) is not: the public, cacheable answers are small.
 */
export const COMPRESS_MIN_BYTES = 256;

/**
 * Starts `count` instances (on `databaseUrl`, or with count 1 on a fresh SQLite file), then both
 * varnishd with all of them as backends, and resolves once every probe says healthy.
 */
export async function startEdge(varnishd: string, options: { count: number; databaseUrl?: string }): Promise<Edge> {
  if (options.count > 1 && !options.databaseUrl) throw new Error('several instances share one store only on PostgreSQL');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-varnish-'));
  const env: Record<string, string> = { PUBLIC_BASE_URL, CORS_ORIGINS: APP_ORIGIN, COMPRESS_MIN_BYTES: String(COMPRESS_MIN_BYTES), ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl, PG_POOL_SIZE: '4' } : {}) };
  const started: Array<{ child: ServiceProcess['child']; output: () => string }> = [];
  const cleanUp = async () => {
    for (const s of started.reverse()) await stop(s);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    // Started together on purpose: migrations and the demo seed run once under the store's lock.
    const processes = await Promise.all(Array.from({ length: options.count }, (_, i) => {
      const dataDir = path.join(tmp, `data-${i}`);
      fs.mkdirSync(dataDir);
      return startService(env, dataDir).then((p) => { started.push(p); return p; });
    }));
    const instances = processes.map((p) => {
      const port = Number(new URL(p.baseUrl).port);
      return { name: backendName(port), port, process: p };
    });
    const ports = instances.map((i) => i.port);
    const cached = await startVarnish(varnishd, writeVcl(tmp, ports, { normalise: true, corsOrigins: [APP_ORIGIN] }), path.join(tmp, 'varnish-normalising'));
    started.push(cached);
    const plain = await startVarnish(varnishd, writeVcl(tmp, ports, { normalise: false, corsOrigins: [APP_ORIGIN] }), path.join(tmp, 'varnish-plain'));
    started.push(plain);
    for (const v of [cached, plain]) {
      await waitFor('every backend probed healthy', async () => {
        const health = await backendHealth(v.workDir);
        return instances.every((i) => health[i.name] === 'healthy');
      }, 15_000);
    }
    return { instances, cached, plain, stop: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
