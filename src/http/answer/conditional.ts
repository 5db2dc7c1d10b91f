/** Conditional requests (RFC 9110 §13): entity-tag lists and their comparisons. */

/** Splits an If-Match / If-None-Match value into opaque tags; `*` stays `*`. Malformed members are ignored. */
export function parseEntityTags(header: string): '*' | { tag: string; weak: boolean }[] {
  if (header.trim() === '*') return '*';
  const tags: { tag: string; weak: boolean }[] = [];
  for (const match of header.matchAll(/(W\/)?("[^"]*")/g)) tags.push({ tag: match[2]!, weak: match[1] !== undefined });
  return tags;
}

/** If-None-Match uses the weak comparison (§13.1.2): W/"x" matches "x". */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true; // what a client that cached one representation sends back
  const tags = parseEntityTags(header);
  return tags === '*' || tags.some((t) => t.tag === etag);
}

/**
 * If-Match (§13.1.1): `*`, or a strong tag (a weak one never matches) that `isCurrent` accepts
 * as naming the resource's current state.
 */
export function ifMatchPasses(header: string | undefined, isCurrent: (tag: string) => boolean): boolean {
  if (header === undefined) return true;
  const tags = parseEntityTags(header);
  return tags === '*' || tags.some((t) => !t.weak && isCurrent(t.tag));
}
