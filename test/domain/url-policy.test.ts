import { checkTargetUrl, MAX_URL_LENGTH } from '../../src/domain/url-policy';

const OWN = ['short.example', 'localhost'];

describe('checkTargetUrl()', () => {
  it('accepts http and https URLs and returns their normalised form', () => {
    expect(checkTargetUrl('https://Example.org/a?b=c#d', OWN)).toEqual({ ok: true, url: 'https://example.org/a?b=c#d' });
    expect(checkTargetUrl('http://example.org', OWN)).toEqual({ ok: true, url: 'http://example.org/' });
  });

  it('turns an IDN host into its ASCII form', () => {
    expect(checkTargetUrl('https://bücher.example/', OWN)).toEqual({ ok: true, url: 'https://xn--bcher-kva.example/' });
  });

  it.each(['javascript:alert(1)', 'data:text/html,<script>', 'file:///etc/passwd', 'ftp://example.org/', 'mailto:a@example.org'])(
    'refuses the non-http scheme of %s',
    (url) => {
      expect(checkTargetUrl(url, OWN)).toEqual({ ok: false, reason: 'must use http or https' });
    },
  );

  it('refuses relative URLs, credentials, control characters and spaces', () => {
    expect(checkTargetUrl('/relative', OWN).ok).toBe(false);
    expect(checkTargetUrl('https://user:pw@example.org/', OWN)).toEqual({ ok: false, reason: 'must not contain credentials' });
    expect(checkTargetUrl('https://example.org/\u0000', OWN).ok).toBe(false);
    expect(checkTargetUrl('https://example.org/a b', OWN).ok).toBe(false);
    expect(checkTargetUrl('https://exa\tmple.org/', OWN).ok).toBe(false);
  });

  it('refuses URLs that point at the service itself, whatever their case or port', () => {
    expect(checkTargetUrl('https://SHORT.example/abc', OWN)).toEqual({ ok: false, reason: 'must not point at this service' });
    expect(checkTargetUrl('http://localhost:8080/x', OWN).ok).toBe(false);
  });

  it(`refuses URLs longer than ${MAX_URL_LENGTH} characters`, () => {
    const base = 'https://example.org/';
    expect(checkTargetUrl(base + 'a'.repeat(MAX_URL_LENGTH - base.length), OWN).ok).toBe(true);
    expect(checkTargetUrl(base + 'a'.repeat(MAX_URL_LENGTH - base.length + 1), OWN).ok).toBe(false);
  });
});
