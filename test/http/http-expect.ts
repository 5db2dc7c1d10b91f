import type { Response } from 'supertest';
import type { VendorType } from '../../representations/media-types';
import { DEFINITIONS } from '../../representations/registry';

/** Header assertions shared by the HTTP suites; bodies are validated with test/helpers/schema.ts. */

/** Every vendor type a link or a page of links is offered in. */
export const VENDOR_TYPES: readonly VendorType[] = DEFINITIONS.link.map((d) => d.type);

/** The `Authorization` header value for a key. */
export const bearer = (key: string): string => `Bearer ${key}`;

/** One entry of a `Link` header (RFC 8288). */
export interface LinkValue {
  target: string;
  params: Record<string, string>;
}

/** Parses a `Link` header into its targets and (lower-cased) parameters. */
export function linkValues(res: Response): LinkValue[] {
  const header = res.headers.link as string | undefined;
  if (header === undefined) return [];
  const values: LinkValue[] = [];
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params: Record<string, string> = {};
    for (const param of match[2]!.matchAll(/;\s*([^=;\s]+)\s*=\s*"?([^";]*)"?/g)) params[param[1]!.toLowerCase()] = param[2]!;
    values.push({ target: match[1]!, params });
  }
  return values;
}

/** The field names of `Vary`, lower-cased. */
export function varyOf(res: Response): string[] {
  const vary = res.headers.vary as string | undefined;
  return (vary ?? '').split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
}

/** Asserts the negotiation headers every negotiated response carries (200, 201, 304, 406, HEAD). */
export function expectNegotiatedVary(res: Response): void {
  expect(varyOf(res)).toEqual(expect.arrayContaining(['accept', 'x-client-platform']));
}

/**
 * Asserts a 200/201 representation's headers: byte-exact vendor Content-Type, Vary, a strong ETag,
 * Cache-Control, and a `Link` naming exactly the sibling types of `path` as alternates.
 */
export function expectRepresentationHeaders(res: Response, type: VendorType, options: { cacheControl: string; path: string }): void {
  expect(res.headers['content-type']).toBe(type);
  expectNegotiatedVary(res);
  expect(res.headers.etag).toMatch(/^"[^"]+"$/);
  expect(res.headers['cache-control']).toBe(options.cacheControl);
  const alternates = linkValues(res).filter((l) => l.params.rel === 'alternate');
  expect(alternates.map((l) => l.params.type).sort()).toEqual(VENDOR_TYPES.filter((t) => t !== type).sort());
  for (const alternate of alternates) expect(alternate.target).toBe(options.path);
}
