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
  const host = url.hostname.toLowerCase();
  if (ownHosts.some((own) => own.toLowerCase() === host)) return { ok: false, reason: 'must not point at this service' };
  if (url.href.length > MAX_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters` };
  return { ok: true, url: url.href };
}
