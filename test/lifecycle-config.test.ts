import { ConfigError, loadConfig } from '../src/config';
import { instantOf, readLifecycle } from '../src/lifecycle-config';
import { PARTNER_V3, PARTNER_V4, SUMMARY } from '../representations/media-types';

/** The message readLifecycle stops with for `env`, asserting it is a one-line ConfigError. */
function refusal(env: NodeJS.ProcessEnv): string {
  let thrown: unknown;
  try {
    readLifecycle(env);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  const message = (thrown as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('DEPRECATE and SUNSET', () => {
  it('deprecate and retire nothing by default', () => {
    expect(readLifecycle({})).toEqual([]);
    expect(loadConfig({}).lifecycle).toEqual([]);
  });

  it('read name@time lists, tolerating whitespace and empty items, into one entry per deprecated representation', () => {
    expect(readLifecycle({ DEPRECATE: ' partner.v3@2027-01-01T00:00:00Z , summary @ 2027-03-01T12:00:00+02:00,', SUNSET: 'partner.v3@2027-06-30T00:00:00Z' })).toEqual([
      { type: PARTNER_V3, name: 'partner.v3', deprecation: new Date('2027-01-01T00:00:00Z'), sunset: new Date('2027-06-30T00:00:00Z') },
      { type: SUMMARY, name: 'summary', deprecation: new Date('2027-03-01T10:00:00Z'), sunset: null },
    ]);
  });

  it('reach the service configuration as its lifecycle', () => {
    expect(loadConfig({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z' }).lifecycle).toEqual([
      { type: PARTNER_V3, name: 'partner.v3', deprecation: new Date('2027-01-01T00:00:00Z'), sunset: null },
    ]);
  });

  it('refuse a name that is no representation, listing the names there are', () => {
    expect(refusal({ DEPRECATE: 'partner.v9@2027-01-01T00:00:00Z' }))
      .toBe('DEPRECATE names "partner.v9", which is no representation; the names are summary, full, partner.v3, partner.v4');
    expect(refusal({ SUNSET: 'Partner.V3@2027-01-01T00:00:00Z' })).toMatch(/^SUNSET names "Partner.V3", which is no representation/);
  });

  it('refuse an item without a time', () => {
    expect(refusal({ DEPRECATE: 'partner.v3' })).toBe('DEPRECATE lists name@time items (e.g. partner.v3@2027-01-01T00:00:00Z), got "partner.v3"');
  });

  it.each([
    ['a date without a time', '2027-01-01'],
    ['a time without a zone', '2027-01-01T00:00:00'],
    ['an ISO 8601 offset without a colon', '2027-01-01T00:00:00+0200'],
    ['a fraction of a second', '2027-01-01T00:00:00.5Z'],
    ['a day the month does not have', '2027-02-30T00:00:00Z'],
    ['hour 24', '2027-01-01T24:00:00Z'],
    ['a leap second', '2027-06-30T23:59:60Z'],
    ['an offset of 24 hours', '2027-01-01T00:00:00+24:00'],
    ['no time at all', ''],
    ['a word', 'soon'],
    ['epoch seconds', '1798761600'],
  ])('refuse %s', (_what, time) => {
    expect(refusal({ DEPRECATE: `partner.v3@${time}` })).toBe(
      `DEPRECATE gives partner.v3 the time ${JSON.stringify(time)}; write an RFC 3339 date-time to the second with Z or an offset, e.g. partner.v3@2027-01-01T00:00:00Z`,
    );
  });

  it('keep the refusal on one line whatever the value holds', () => {
    expect(refusal({ DEPRECATE: 'partner.v3@2027-01-01\nT00:00:00Z' })).toContain('"2027-01-01\\nT00:00:00Z"');
    expect(refusal({ DEPRECATE: `${'x'.repeat(500)}@2027-01-01T00:00:00Z` }).length).toBeLessThan(200);
  });

  it('refuse a representation named twice in one variable', () => {
    expect(refusal({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z,partner.v3@2027-02-01T00:00:00Z' }))
      .toBe('DEPRECATE names partner.v3 twice; give each representation one time');
    expect(refusal({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z', SUNSET: 'partner.v3@2027-06-30T00:00:00Z, partner.v3@2027-07-30T00:00:00Z' }))
      .toBe('SUNSET names partner.v3 twice; give each representation one time');
  });

  it('refuse a sunset before or at its deprecation', () => {
    expect(refusal({ DEPRECATE: 'partner.v3@2027-06-30T00:00:00Z', SUNSET: 'partner.v3@2027-01-01T00:00:00Z' }))
      .toBe('SUNSET of partner.v3 (2027-01-01T00:00:00Z) must come after its DEPRECATE (2027-06-30T00:00:00Z)');
    expect(refusal({ DEPRECATE: 'partner.v3@2027-01-01T02:00:00+02:00', SUNSET: 'partner.v3@2027-01-01T00:00:00Z' }))
      .toBe('SUNSET of partner.v3 (2027-01-01T00:00:00Z) must come after its DEPRECATE (2027-01-01T00:00:00Z)');
  });

  it('refuse a sunset without a deprecation, asking for DEPRECATE too', () => {
    expect(refusal({ SUNSET: 'partner.v3@2027-06-30T00:00:00Z' }))
      .toBe('SUNSET retires partner.v3 without deprecating it first; set DEPRECATE=partner.v3@<time> too, before 2027-06-30T00:00:00Z');
  });

  it('refuse retiring a contract before the one it succeeds', () => {
    expect(refusal({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z,partner.v4@2027-01-01T00:00:00Z', SUNSET: 'partner.v4@2027-03-01T00:00:00Z,partner.v3@2027-06-30T00:00:00Z' }))
      .toBe('SUNSET retires partner.v4 (2027-03-01T00:00:00Z) before partner.v3, whose successor it is; retire partner.v4 no earlier than partner.v3');
    expect(refusal({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z,partner.v4@2027-01-01T00:00:00Z', SUNSET: 'partner.v4@2027-03-01T00:00:00Z' }))
      .toMatch(/^SUNSET retires partner.v4 .* before partner.v3/);
    expect(readLifecycle({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z,partner.v4@2027-01-01T00:00:00Z', SUNSET: 'partner.v4@2027-06-30T00:00:00Z,partner.v3@2027-06-30T00:00:00Z' })
      .map((r) => r.type)).toEqual([PARTNER_V3, PARTNER_V4]);
  });

  it('stop loadConfig with the same ConfigError', () => {
    expect(() => loadConfig({ DEPRECATE: 'partner.v3@tomorrow' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEPRECATE: 'partner.v3@tomorrow' })).toThrow(/^DEPRECATE gives partner.v3 the time "tomorrow"/);
  });
});

describe('instantOf()', () => {
  it('reads Z, a lower-case t and z, and offsets either side of UTC', () => {
    expect(instantOf('2027-01-01T00:00:00Z')?.getTime()).toBe(1798761600_000);
    expect(instantOf('2027-01-01t00:00:00z')?.getTime()).toBe(1798761600_000);
    expect(instantOf('2027-01-01T05:30:00+05:30')?.getTime()).toBe(1798761600_000);
    expect(instantOf('2026-12-31T19:00:00-05:00')?.getTime()).toBe(1798761600_000);
    expect(instantOf('2028-02-29T00:00:00Z')).not.toBeNull();
    expect(instantOf('2027-02-29T00:00:00Z')).toBeNull();
  });
});
