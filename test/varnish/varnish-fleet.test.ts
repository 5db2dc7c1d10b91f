import { FULL, SUMMARY } from '../../representations/media-types';
import { DEMO_KEYS } from '../../src/domain/seed';
import { describeWithPostgres } from '../helpers/postgres';
import { describeCacheBehaviour } from './helpers/cache-suite';
import { startEdge } from './helpers/edge';
import { describeEncodingAndCors } from './helpers/encoding-cors-suite';
import type { Edge, Instance } from './helpers/edge';
import { expectBody, expectProblemStatus, expectRepresentation } from './helpers/expect';
import { closeConnections, send } from './helpers/http';
import type { Headers, Reply } from './helpers/http';
import { backendHealth, counter, waitFor } from './helpers/processes';
import { describeWithVarnish } from './helpers/with-varnish';

const USER = { Authorization: `Bearer ${DEMO_KEYS.user}` };

// Two instances on one PostgreSQL database behind the shipped VCL: the deployment of deploy/README.md.
describeWithVarnish('Varnish in front of two Facet instances on one PostgreSQL', (varnishd) => {
  describeWithPostgres('with a throwaway PostgreSQL', (cluster) => {
    let edge: Edge | undefined;
    const fleet = () => edge ?? fail('the edge did not start');
    const via = (url: string, headers: Headers = {}, method = 'GET', body?: unknown) => send(fleet().cached.port, url, headers, method, body);
    const instanceNamed = (name: unknown) => fleet().instances.find((i) => i.name === name) ?? fail(`no instance ${String(name)}`);

    beforeAll(async () => {
      edge = await startEdge(varnishd, { count: 2, databaseUrl: await cluster().createDatabase('facet_edge') });
    }, 120_000);

    afterAll(async () => {
      closeConnections();
      await edge?.stop();
    }, 30_000);

    describeCacheBehaviour(fleet);
    describeEncodingAndCors(fleet);

    it('sends private requests round-robin and every request for one code to one instance', async () => {
      const before = await Promise.all(fleet().instances.map((i) => requestsServed(i, '/api/links')));
      const served = new Map<string, number>();
      for (let n = 0; n < 10; n += 1) {
        const res = await via('/api/links', { ...USER, Accept: FULL });
        expectRepresentation(res, FULL, 'link-page');
        const name = String(res.headers['x-facet-backend']);
        served.set(name, (served.get(name) ?? 0) + 1);
      }
      const after = await Promise.all(fleet().instances.map((i) => requestsServed(i, '/api/links')));
      fleet().instances.forEach((instance, i) => {
        expect(served.get(instance.name)).toBe(5);
        expect((after[i] as number) - (before[i] as number)).toBe(5);
      });

      const page = expectRepresentation(await via('/api/links?limit=40', { ...USER, Accept: FULL }), FULL, 'link-page');
      const codes = (page.items as Array<{ code: string }>).map((l) => l.code);
      expect(codes.length).toBeGreaterThanOrEqual(20);
      const owners = new Set<string>();
      for (const code of codes) {
        const producers = new Set<string>();
        for (const accept of [SUMMARY, FULL] as const) {
          const res = await via(`/api/links/${code}`, { Accept: accept });
          expectRepresentation(res, accept, 'link');
          producers.add(String(res.headers['x-facet-backend']));
        }
        expect(producers.size).toBe(1);
        owners.add([...producers][0] as string);
      }
      expect([...owners].sort()).toEqual(fleet().instances.map((i) => i.name).sort());
    });

    it('shows an edit made through Varnish at once through Varnish, and within a second on the other instance with the same ETag', async () => {
      const created = await via('/api/links', { ...USER, Accept: FULL, 'Content-Type': 'application/json' }, 'POST', { url: 'https://example.org/before', title: 'before' });
      expect(created.status).toBe(201);
      const code = String(expectBody(created, 'link').code);
      const card = `/api/links/${code}`;
      const first = await via(card, { Accept: FULL });
      expect([expectRepresentation(first, FULL, 'link').url, first.headers['x-cache']]).toEqual(['https://example.org/before', 'MISS']);
      const owner = instanceNamed(first.headers['x-facet-backend']);
      const other = fleet().instances.find((i) => i !== owner) as Instance;
      expectRepresentation(await via(card, { Accept: SUMMARY }), SUMMARY, 'link');
      // The other instance has it in its hot-read cache too: the edit must reach it by notification.
      const otherBefore = await send(other.port, card, { Accept: FULL });
      expect(otherBefore.headers.etag).toBe(first.headers.etag);

      const edited = await via(card, { ...USER, Accept: FULL, 'Content-Type': 'application/json', 'If-Match': first.headers.etag }, 'PATCH', { url: 'https://example.org/after' });
      expect(expectRepresentation(edited, FULL, 'link').url).toBe('https://example.org/after');
      expect(edited.headers['x-facet-backend']).toBe(owner.name);

      for (const accept of [FULL, SUMMARY] as const) {
        const res = await via(card, { Accept: accept });
        expect([expectRepresentation(res, accept, 'link').url, res.headers['x-cache']]).toEqual(['https://example.org/after', 'MISS']);
      }
      let seen: Reply | undefined;
      const lagMs = await waitFor('the other instance shows the edit', async () => {
        seen = await send(other.port, card, { Accept: FULL });
        return expectRepresentation(seen, FULL, 'link').url === 'https://example.org/after';
      }, 1000, 10);
      process.stdout.write(`\nedit through Varnish on ${owner.name}: seen directly on ${other.name} after ${lagMs} ms of polling\n`);
      expect(seen?.headers.etag).toBe(edited.headers.etag);
      const stale = await via(card, { ...USER, Accept: FULL, 'Content-Type': 'application/json', 'If-Match': first.headers.etag }, 'PATCH', { title: 'lost update' });
      expectProblemStatus(stale, 412);
    });

    it('keeps answering when an instance is killed, retrying on the other until the probe marks it sick, and answers 503 problem+json when none is left', async () => {
      const owned = await via('/api/links/facet', { Accept: FULL });
      expectRepresentation(owned, FULL, 'link');
      const victim = instanceNamed(owned.headers['x-facet-backend']);
      const survivor = fleet().instances.find((i) => i !== victim) as Instance;
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;

      let spelling = 0;
      const answer = async () => {
        const listing = await via('/api/links', { ...USER, Accept: FULL });
        expectRepresentation(listing, FULL, 'link-page');
        // Not cached yet (a new spelling of the URL), so fetched from the code's instance: the dead one.
        const card = await via(`/api/links/facet/?n=${(spelling += 1)}`, { Accept: SUMMARY });
        expectRepresentation(card, SUMMARY, 'link');
        expect([listing.headers['x-facet-backend'], card.headers['x-facet-backend'], card.headers['x-cache']]).toEqual([survivor.name, survivor.name, 'MISS']);
      };
      const failuresBefore = await counter(fleet().cached.workDir, 'MAIN.backend_fail');
      for (let n = 0; n < 4; n += 1) await answer();
      const sickAfterMs = await waitFor('the probe marks the killed instance sick', async () => {
        const health = await backendHealth(fleet().cached.workDir);
        if (health[victim.name] === 'sick') return true;
        await answer();
        return false;
      }, 10_000, 100);
      expect((await backendHealth(fleet().cached.workDir))[survivor.name]).toBe('healthy');
      // Refused connections to the dead instance happened, and were retried: no client saw one.
      expect(await counter(fleet().cached.workDir, 'MAIN.backend_fail')).toBeGreaterThan(failuresBefore);
      for (let n = 0; n < 4; n += 1) await answer();
      process.stdout.write(`\nkilled ${victim.name}: every request answered by ${survivor.name}; probe said sick after ${sickAfterMs} ms\n`);

      // With no instance left, Varnish answers as Facet does when its store is down.
      survivor.process.child.kill('SIGKILL');
      await survivor.process.exited;
      const none = await via('/api/links/facet/?n=none', { Accept: FULL });
      expectProblemStatus(none, 503);
      expect([none.headers['retry-after'], none.headers['cache-control']]).toEqual(['5', 'no-store']);
    }, 30_000);
  });
});

/** Requests of `route` this instance has answered, from its own /metrics. */
async function requestsServed(instance: Instance, route: string): Promise<number> {
  const res = await send(instance.port, '/metrics');
  expect(res.status).toBe(200);
  return [...res.body.matchAll(/^facet_http_requests_total\{([^}]*)\} (\d+)$/gm)]
    .filter((m) => (m[1] as string).includes(`route="${route}"`))
    .reduce((sum, m) => sum + Number(m[2]), 0);
}

function fail(message: string): never {
  throw new Error(message);
}
