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
    [{ DATABASE_URL: 'postgres://facet@localhost/facet' }, /DATABASE_URL/],
  ])('stops on a bad value %p with a message naming it', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never seeds demo keys in production by default', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemoData).toBe(false);
  });
});
