import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig()', () => {
  it('defaults to port 3000, ./data and a localhost base URL with demo data', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, dataDir: './data', publicBaseUrl: 'http://localhost:3000', seedDemoData: true, production: false });
  });

  it('builds the base URL from PORT unless PUBLIC_BASE_URL is set, dropping a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://sho.rt/' }).publicBaseUrl).toBe('https://sho.rt');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ PUBLIC_BASE_URL: 'not a url' }, /PUBLIC_BASE_URL/],
    [{ PUBLIC_BASE_URL: 'ftp://x.example' }, /PUBLIC_BASE_URL/],
    [{ SEED_DEMO_DATA: 'yes' }, /SEED_DEMO_DATA/],
    [{ NODE_ENV: 'production', SEED_DEMO_DATA: 'true' }, /production/],
    [{ DATABASE_URL: 'mysql://facet@localhost/facet' }, /DATABASE_URL/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ WORKERS: '2' }, /WORKERS=2 needs DATABASE_URL/],
    [{ WORKERS: '0' }, /WORKERS/],
    [{ DATABASE_URL: 'postgres://localhost/facet', PG_POOL_SIZE: '0' }, /PG_POOL_SIZE/],
    [{ DATABASE_URL: 'postgres://localhost/facet', PG_STATEMENT_TIMEOUT_MS: '5' }, /PG_STATEMENT_TIMEOUT_MS/],
    [{ HEADERS_TIMEOUT_MS: '0' }, /HEADERS_TIMEOUT_MS/],
    [{ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '10000' }, /HEADERS_TIMEOUT_MS.*REQUEST_TIMEOUT_MS/],
    [{ MAX_CONNECTIONS: '-1' }, /MAX_CONNECTIONS/],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, /SHUTDOWN_TIMEOUT_MS/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
    [{ METRICS_TOKEN: 'has spaces in it, sixteen+' }, /METRICS_TOKEN/],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, /CORS_ORIGINS.*"https:\/\/app\.example\.com\/"/],
    [{ CORS_ORIGINS: 'https://app.example.com/dashboard' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'app.example.com' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'ftp://app.example.com' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'https://App.Example.com' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'https://app.example.com:443' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS/],
    [{ COMPRESS_MIN_BYTES: '-1' }, /COMPRESS_MIN_BYTES/],
  ])('stops on a bad value %p with a message naming it', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('selects PostgreSQL by DATABASE_URL, with pool size, statement timeout and workers', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://facet:secret@db.internal:5433/facet', PG_POOL_SIZE: '4', PG_STATEMENT_TIMEOUT_MS: '2500', WORKERS: '3' }))
      .toMatchObject({ databaseUrl: 'postgres://facet:secret@db.internal:5433/facet', pgPoolSize: 4, pgStatementTimeoutMs: 2500, workers: 3 });
    expect(loadConfig({})).toMatchObject({ databaseUrl: undefined, workers: 1 });
  });

  it('never echoes a DATABASE_URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://facet:hunter2@localhost/facet' })).not.toThrow(/hunter2/);
  });

  it('lists no CORS origin by default and reads a comma-separated list of exact origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' https://app.example.com, http://localhost:5173,,https://app.example.com' }).corsOrigins)
      .toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('compresses bodies from 1 KB by default, configurable by COMPRESS_MIN_BYTES', () => {
    expect(loadConfig({}).compressMinBytes).toBe(1024);
    expect(loadConfig({ COMPRESS_MIN_BYTES: '0' }).compressMinBytes).toBe(0);
  });

  it('never seeds demo keys in production by default', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemoData).toBe(false);
  });

  it('holds slow clients and shutdown to seconds, caps connections and leaves /metrics open by default', () => {
    expect(loadConfig({})).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 4096, shutdownTimeoutMs: 10_000, metricsToken: undefined });
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '2000', MAX_CONNECTIONS: '50', SHUTDOWN_TIMEOUT_MS: '3000', METRICS_TOKEN: 'scrape-token-0123456789' }))
      .toMatchObject({ headersTimeoutMs: 1500, requestTimeoutMs: 2000, maxConnections: 50, shutdownTimeoutMs: 3000, metricsToken: 'scrape-token-0123456789' });
  });
});
