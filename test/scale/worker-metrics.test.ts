import { describeOnPostgres, eventually, occurrences, send } from './helpers';

const REQUESTS = 40;

/** The value of `facet_http_requests_total` for GET /healthz answered 200 in a Prometheus text scrape. */
const healthzCount = (text: string): number => {
  const line = text.split('\n').find((l) => l.startsWith('facet_http_requests_total{') && l.includes('route="/healthz"') && l.includes('status="200"'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
};

describeOnPostgres('/metrics with WORKERS=2', (ctx) => {
  it('answers every scrape with the sum over both workers, whichever worker takes it', async () => {
    const service = await ctx.start(await ctx.database(), { WORKERS: '2' });
    await eventually(() => expect(occurrences(service.output(), 'facet listening')).toBe(2), { timeoutMs: 20_000, intervalMs: 50 });
    // A fresh connection each: the kernel hands them to either worker (about half each).
    for (let i = 0; i < REQUESTS; i += 1) {
      expect((await send(service.baseUrl, 'GET', '/healthz', { agent: false, headers: { Connection: 'close' } })).status).toBe(200);
    }
    for (let scrape = 0; scrape < 4; scrape += 1) {
      const res = await send(service.baseUrl, 'GET', '/metrics', { agent: false, headers: { Connection: 'close' } });
      expect(res.status).toBe(200);
      expect(healthzCount(res.text)).toBe(REQUESTS);
      expect(res.text.split('\n')[0]).toBe('# facet: sum over 2 workers');
    }
  }, 60_000);
});
