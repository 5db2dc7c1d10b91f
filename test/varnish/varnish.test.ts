import { describeCacheBehaviour } from './helpers/cache-suite';
import { startEdge } from './helpers/edge';
import type { Edge } from './helpers/edge';
import { closeConnections } from './helpers/http';
import { describeWithVarnish } from './helpers/with-varnish';

// The embedded default: one instance on its SQLite file, behind the shipped VCL's directors.
describeWithVarnish('Varnish in front of one Facet instance on SQLite', (varnishd) => {
  let edge: Edge | undefined;

  beforeAll(async () => {
    edge = await startEdge(varnishd, { count: 1 });
  }, 120_000);

  afterAll(async () => {
    closeConnections();
    await edge?.stop();
  }, 30_000);

  describeCacheBehaviour(() => edge ?? fail('the edge did not start'));
});

function fail(message: string): never {
  throw new Error(message);
}
