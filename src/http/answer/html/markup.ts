/** HTML text and attribute escaping, and JSON rendered as escaped markup with its URLs as links. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe in element content and in a double- or single-quoted attribute value (OWASP XSS rule #1 and #2). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Whether a string is a URL the page may link to: an absolute http(s) URL, or a path of this
 * origin (`/api/…`, not `//host`). Anything else (`javascript:`, `data:`) stays text.
 */
export function isLinkable(value: string): boolean {
  if (value.startsWith('/')) return !value.startsWith('//') && !value.startsWith('/\\');
  if (!/^https?:\/\//i.test(value)) return false;
  return URL.canParse(value);
}

const INDENT = '  ';

/**
 * The JSON text JSON.stringify(value, null, 2) would give, as escaped HTML where every linkable
 * string is an `<a>`: what the page shows. Markup and the text of the JSON agree character for character.
 */
export function jsonToHtml(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') {
    const text = escapeHtml(JSON.stringify(value) ?? 'null');
    if (typeof value !== 'string' || !isLinkable(value)) return text;
    return `<a href="${escapeHtml(value)}" rel="noopener noreferrer nofollow">${text}</a>`;
  }
  const inner = INDENT.repeat(depth + 1);
  const outer = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + jsonToHtml(v, depth + 1)).join(',\n')}\n${outer}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const members = entries.map(([k, v]) => `${inner}${escapeHtml(JSON.stringify(k))}: ${jsonToHtml(v, depth + 1)}`);
  return `{\n${members.join(',\n')}\n${outer}}`;
}
