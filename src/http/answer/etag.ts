import { createHash } from 'node:crypto';
import type { ContentCoding } from './encoding/accept-encoding';

/**
 * The one grammar of Facet's entity-tags (RFC 9110 §8.8.3). A tag is `"<opaque>"`; its variants append to the opaque part: `-gz` / `-br`
 * for an encoding, `~<hash>` for a field selection. A link card's opaque part is
 * `<version tag>.<state>.<representation>`.
 */

/** What encodes each coding in a variant's tag. */
export const CODING_SUFFIX: Record<ContentCoding, string> = { gzip: '-gz', br: '-br' };

/** `"opaque"`: a strong entity-tag. */
export function entityTag(opaque: string): string {
  return `"${opaque}"`;
}

/** The strong tag of some bytes: their SHA-1, base64url, `length` characters of it (all by default). */
export function contentTag(bytes: Buffer, length?: number): string {
  const digest = createHash('sha1').update(bytes).digest('base64url');
  return entityTag(length === undefined ? digest : digest.slice(0, length));
}

/** A variant's tag: the suffix appended inside the quotes, weakness kept (`W/"x"` → `W/"x-gz"`). */
export function variantTag(tag: string, suffix: string): string {
  return `${tag.slice(0, -1)}${suffix}"`;
}

/** The tag of an encoded variant: `"x"` → `"x-gz"` / `"x-br"`. */
export function encodedTag(tag: string, coding: ContentCoding): string {
  return variantTag(tag, CODING_SUFFIX[coding]);
}

/** Whether `tag` names `identity` or one of its encoded variants. */
export function isEncodingOf(tag: string, identity: string): boolean {
  return tag === identity || (Object.values(CODING_SUFFIX) as string[]).some((suffix) => tag === variantTag(identity, suffix));
}

/** The version part of a link card's tag (`"<version>.<state>.<rep>…"`), what If-Match compares. */
export function cardVersionOf(tag: string): string {
  return tag.slice(1).split('.')[0]!;
}
