import fs from 'node:fs';
import path from 'node:path';
import { FULL } from '../representations/media-types';
import { DEMO_KEYS } from '../src/domain/seed';
import { fillLinkPage, PAGE_SIZE } from './compression-fixtures';
import { fetchFixtures } from './fixtures';
import type { Fixtures } from './fixtures';
import { startServer } from './processes';
import type { ServerProcess } from './processes';
import { SCENARIOS } from './scenarios';
import type { Scenario } from './scenarios';
import { PROJECT, SERVER_CPU } from './settings';

/** The servers whose CPU per answer is compared (issue 18), in the order of the tables. */
export const CPU_SERVERS = ['facet', 'facet-quiet', 'fastify-log', 'fastify', 'ceiling'] as const;
export type CpuServer = (typeof CPU_SERVERS)[number];

export const CPU_LABEL: Record<CpuServer, string> = {
  facet: 'Facet, LOG_LEVEL=info',
  'facet-quiet': 'Facet, LOG_LEVEL=warn',
  'fastify-log': 'Fastify 5, logger: true',
  fastify: 'Fastify 5, logger: false',
  ceiling: 'ceiling (raw node:http)',
};

/** Each Facet is compared with the Fastify that logs as it does. */
export const CPU_PEER: Partial<Record<CpuServer, CpuServer>> = { facet: 'fastify-log', 'facet-quiet': 'fastify' };

/** The demo user's first page of PAGE_SIZE links, full: read, shaped and serialised by Facet on every request. */
export const PAGE_SCENARIO: Scenario = {
  name: `${PAGE_SIZE}-link page full`, path: `/api/links?limit=${PAGE_SIZE}`, headers: { Authorization: `Bearer ${DEMO_KEYS.user}`, Accept: FULL },
  status: 200, resource: 'link-page', group: 'link-page',
};

const named = (name: string) => SCENARIOS.find((s) => s.name === name)!;

/** Issue 18's answers, in run order: the redirect records clicks (which change the card and the page), so it runs last. */
export const CPU_SCENARIOS: Scenario[] = [named('card summary'), named('304 revalidation'), PAGE_SCENARIO, named('redirect + click')];

/** The servers, by name. */
export type CpuServerSet = Partial<Record<CpuServer, ServerProcess>>;

/**
 * Starts `names` on SERVER_CPU: the first Facet seeds a fresh DATA_DIR, fills the demo user's page
 * and is asked for the fixtures; the second Facet shares the DATA_DIR; the peers serve the fixtures.
 * Each is put in `servers` as soon as it runs, so the caller stops it whatever fails later. Returns
 * the fixtures and how many links it created so that the page holds PAGE_SIZE.
 */
export async function startCpuServers(
  work: string, names: CpuServer[], servers: CpuServerSet, nodeArgs: (name: CpuServer) => string[] = () => [],
): Promise<{ fixtures: Fixtures; created: number }> {
  const startFacet = (name: CpuServer, logLevel: string) => startServer({
    name, script: path.join(PROJECT, 'dist', 'src', 'main.js'), cpu: SERVER_CPU, ready: '/healthz', logFile: path.join(work, `${name}.log`), nodeArgs: nodeArgs(name),
    env: {
      DATA_DIR: path.join(work, 'data'), PUBLIC_BASE_URL: 'http://localhost:3000', NODE_ENV: 'development', SEED_DEMO_DATA: 'true',
      // All load comes from one address: the limiter still counts every redirect, but never trips.
      RATE_LIMIT_REDIRECTS_PER_ADDRESS: '1000000000', RATE_LIMIT_READS_PER_CREDENTIAL: '0', LOG_LEVEL: logLevel,
    },
  });
  const facets = names.filter((n) => n === 'facet' || n === 'facet-quiet');
  if (!facets.length) throw new Error('the fixtures come from a Facet: name at least one');
  let created = 0;
  let fixtures: Fixtures | undefined;
  for (const name of facets) {
    servers[name] = await startFacet(name, name === 'facet' ? 'info' : 'warn');
    if (fixtures) continue;
    created = await fillLinkPage(servers[name].url);
    fixtures = await fetchFixtures(servers[name].url, CPU_SCENARIOS);
  }
  const fixtureFile = path.join(work, 'fixtures.json');
  fs.writeFileSync(fixtureFile, JSON.stringify(fixtures));
  const peers: [CpuServer, string, string[]][] = [['fastify-log', 'fastify.js', ['--logger']], ['fastify', 'fastify.js', []], ['ceiling', 'ceiling.js', []]];
  for (const [name, file, args] of peers.filter(([n]) => names.includes(n))) {
    servers[name] = await startServer({
      name, script: path.join(__dirname, 'baselines', file), args: [fixtureFile, ...args], nodeArgs: nodeArgs(name),
      cpu: SERVER_CPU, ready: 'baseline listening', logFile: path.join(work, `${name}.log`),
    });
  }
  return { fixtures: fixtures!, created };
}
