/** The longest target URL accepted, in characters of its normalised form. */
export const MAX_URL_LENGTH = 2048;

// C0 controls, DEL and whitespace: browsers strip or reinterpret them, which hides the real target.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0020\u007f]/;

/** Result of checking a target URL: the normalised URL, or why it is refused. */
export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Accepts only absolute http(s) URLs without credentials, up to MAX_URL_LENGTH, whose host is
 * not one of `ownHosts` (a link to the service itself would redirect in a loop).
 * IDN hosts come back in their ASCII (punycode) form.
 */
export function checkTargetUrl(raw: string, ownHosts: readonly string[]): UrlCheck {
  if (UNSAFE_CHARS.test(raw)) return { ok: false, reason: 'must not contain spaces or control characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must use http or https' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain credentials' };
  if (url.hostname === '') return { ok: false, reason: 'must name a host' };
  if (!URI_HOST.test(url.hostname)) return { ok: false, reason: 'must name a valid host' };
  if (pointsAtOwnHost(url.hostname, ownHosts)) return { ok: false, reason: 'must not point at this service' };
  const href = `${url.protocol}//${url.host}${escape(url.pathname, PATH_ESCAPE)}${escape(url.search, QUERY_ESCAPE)}${escape(url.hash, QUERY_ESCAPE)}`;
  if (href.length > MAX_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters` };
  return { ok: true, url: href };
}

// The WHATWG parser leaves some characters RFC 3986 forbids raw (`[ ] { } | ^ \``, a `%` not
// starting an escape, a second `#`): they are percent-encoded, so the stored target is a URI (§2.1).
const PATH_ESCAPE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]|%(?![0-9A-Fa-f]{2})/g;
const QUERY_ESCAPE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]|%(?![0-9A-Fa-f]{2})/g;
/** RFC 3986 §3.2.2 reg-name (after IDNA, so ASCII) or an IP literal. */
const URI_HOST = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$|^\[[0-9A-Fa-f:.]+\]$/;

/** Percent-encodes what `pattern` matches, past the component's leading `?` or `#`. */
function escape(component: string, pattern: RegExp): string {
  const lead = component.startsWith('?') || component.startsWith('#') ? component[0]! : '';
  const bytes = (c: string) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return lead + component.slice(lead.length).replace(pattern, bytes);
}

/** `example.org.` and `EXAMPLE.org` name the same host as `example.org`. */
function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/**
 * Loopback in any spelling the URL parser leaves distinct: localhost and its subdomains,
 * 127.0.0.0/8 (the parser already turns 127.1 or 0x7f.1 into 127.0.0.1), ::1, the
 * IPv4-mapped ::ffff:127.x, and the unspecified addresses that reach the local host.
 */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) ||
    host === '[::1]' || /^\[::ffff:7f/.test(host) || host === '0.0.0.0' || host === '[::]';
}

/** True when `host` is one of `ownHosts`, or loopback when the service itself is on loopback. */
function pointsAtOwnHost(host: string, ownHosts: readonly string[]): boolean {
  const target = normaliseHost(host);
  const own = ownHosts.map(normaliseHost);
  return own.includes(target) || (own.some(isLoopback) && isLoopback(target));
}
