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

describe('checkTargetUrl() on a service that runs on loopback', () => {
  it.each(['http://127.1/', 'http://0x7f.0.0.1/', 'http://2130706433/', 'http://127.8.9.10/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://localhost./', 'http://api.localhost/', 'http://0.0.0.0/', 'http://LOCALHOST:3000/x'])(
    'refuses %s, another spelling of the service’s own host',
    (url) => {
      expect(checkTargetUrl(url, ['localhost'])).toEqual({ ok: false, reason: 'must not point at this service' });
    },
  );

  it('refuses a trailing-dot spelling of a public own host', () => {
    expect(checkTargetUrl('https://short.example./x', ['short.example']).ok).toBe(false);
  });

  it('accepts loopback targets when the service itself is public', () => {
    expect(checkTargetUrl('http://127.0.0.1:8080/', ['short.example']).ok).toBe(true);
  });

  it('stores an RFC 3986 URI: characters the URL parser leaves raw in path, query and fragment are percent-encoded', () => {
    expect(checkTargetUrl('http://a/[x]{y}|^`', OWN)).toEqual({ ok: true, url: 'http://a/%5Bx%5D%7By%7D%7C%5E%60' });
    expect(checkTargetUrl('https://example.org/p?q=[1]|2#frag#ment', OWN)).toEqual({ ok: true, url: 'https://example.org/p?q=%5B1%5D%7C2#frag%23ment' });
    expect(checkTargetUrl('https://example.org/100%/%41', OWN)).toEqual({ ok: true, url: 'https://example.org/100%25/%41' });
    expect(checkTargetUrl('http://[::2]:8080/', OWN)).toEqual({ ok: true, url: 'http://[::2]:8080/' });
  });

  it('refuses a host that is not an RFC 3986 host', () => {
    expect(checkTargetUrl('http://`/', OWN)).toEqual({ ok: false, reason: 'must name a valid host' });
    expect(checkTargetUrl('http://a{b}/', OWN)).toEqual({ ok: false, reason: 'must name a valid host' });
  });
});
