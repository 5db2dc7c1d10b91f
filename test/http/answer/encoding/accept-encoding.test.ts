import { chooseEncoding } from '../../../../src/http/answer/encoding/accept-encoding';
import type { Coding } from '../../../../src/http/answer/encoding/accept-encoding';

/** `whenAcceptEncoding('gzip', 'gzip')`: the coding chosen for one header value. */
function whenAcceptEncoding(header: string | undefined, expected: Coding): void {
  it(`chooses ${expected} for ${header === undefined ? 'no header' : JSON.stringify(header)}`, () => {
    expect(chooseEncoding(header)).toBe(expected);
  });
}

describe('chooseEncoding (RFC 9110 §12.5.3)', () => {
  describe('without a preference', () => {
    whenAcceptEncoding(undefined, 'identity');
    whenAcceptEncoding('', 'identity');
    whenAcceptEncoding('identity', 'identity');
  });

  describe('by name', () => {
    whenAcceptEncoding('gzip', 'gzip');
    whenAcceptEncoding('br', 'br');
    whenAcceptEncoding('GZIP', 'gzip');
    whenAcceptEncoding('x-gzip', 'gzip');
    whenAcceptEncoding('deflate', 'identity');
    whenAcceptEncoding('zstd, deflate', 'identity');
  });

  describe('equal weights prefer br, then gzip, then identity', () => {
    whenAcceptEncoding('gzip, deflate, br', 'br');
    whenAcceptEncoding('gzip, identity', 'gzip');
    whenAcceptEncoding('*', 'br');
  });

  describe('q-values', () => {
    whenAcceptEncoding('br;q=0.5, gzip', 'gzip');
    whenAcceptEncoding('br;q=0.9, gzip;q=0.8', 'br');
    whenAcceptEncoding('gzip;q=0.2, identity;q=0.5', 'identity');
    whenAcceptEncoding('br; q=1.0, gzip; Q=0.5', 'br');
    whenAcceptEncoding('br;q=0, gzip;q=0', 'identity');
    whenAcceptEncoding('br;q=0, *', 'gzip');
    whenAcceptEncoding('*;q=0.1, gzip;q=0.05', 'br');
  });

  describe('refusals', () => {
    whenAcceptEncoding('identity;q=0, gzip', 'gzip');
    whenAcceptEncoding('*;q=0, br', 'br');
    // Nothing acceptable: the answer carries no content coding rather than failing.
    whenAcceptEncoding('identity;q=0', 'identity');
    whenAcceptEncoding('*;q=0', 'identity');
  });

  describe('malformed members are ignored', () => {
    whenAcceptEncoding('br;q=2, gzip', 'gzip');
    whenAcceptEncoding('br;q=abc', 'identity');
    whenAcceptEncoding('br;q=0.1234, gzip;q=0.5', 'gzip');
    whenAcceptEncoding(',,;q=1, ,gzip', 'gzip');
    whenAcceptEncoding('gzip;q=0.5, gzip;q=0', 'gzip');
  });

  it('answers identity without parsing a value longer than 1 KB', () => {
    expect(chooseEncoding(`${'x, '.repeat(400)}br`)).toBe('identity');
  });

  it('chooses the same coding when asked again (remembered) as the first time', () => {
    const header = 'gzip;q=0.7, br;q=0.6';
    expect(chooseEncoding(header)).toBe('gzip');
    expect(chooseEncoding(header)).toBe('gzip');
  });
});
