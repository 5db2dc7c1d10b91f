import { findVarnishd } from './processes';

/**
 * A describe block that gets the path of `varnishd`. Where it is missing the block is skipped
 * with the reason printed; under CI=true it fails instead.
 */
export function describeWithVarnish(name: string, fn: (varnishd: string) => void): void {
  const varnishd = findVarnishd();
  if (varnishd) {
    describe(name, () => fn(varnishd));
    return;
  }
  const missing = process.env.VARNISHD === undefined
    ? 'varnishd was not found on PATH or in /usr/sbin (Debian: apt-get install -y varnish)'
    : `VARNISHD=${process.env.VARNISHD} is not an executable file`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('runs under CI=true, where varnishd must be installed', () => {
        throw new Error(`${missing}. Under CI=true the Varnish suites may not be skipped.`);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}" (test/varnish): ${missing}.`);
  describe.skip(name, () => fn('varnishd'));
}
