/**
 * The vendor media types Facet serves, by short name (used in ETags, logs and file names): the
 * one table a new media type is added to. VendorType, SHORT_NAME, the VCL's table
 * (src/cli/edge-vcl.ts) and the Varnish test corpus are all derived from it and from the folders.
 */
export const MEDIA_TYPES = {
  summary: 'application/vnd.example.summary+json',
  full: 'application/vnd.example.full+json',
  'partner.v3': 'application/vnd.example.partner.v3+json',
  'partner.v4': 'application/vnd.example.partner.v4+json',
} as const;

export const SUMMARY = MEDIA_TYPES.summary;
export const FULL = MEDIA_TYPES.full;
export const PARTNER_V3 = MEDIA_TYPES['partner.v3'];
export const PARTNER_V4 = MEDIA_TYPES['partner.v4'];
/** The media type of every error (RFC 9457). */
export const PROBLEM = 'application/problem+json';

/** A representation's media type. */
export type VendorType = (typeof MEDIA_TYPES)[keyof typeof MEDIA_TYPES];

/** Short names used in ETags, logs and file names. */
export const SHORT_NAME = Object.fromEntries(Object.entries(MEDIA_TYPES).map(([name, type]) => [type, name])) as Record<VendorType, string>;

/** A short name's media type (`partner.v4` → its type); undefined for a name that is none. */
export function typeOfName(name: string): VendorType | undefined {
  return Object.hasOwn(MEDIA_TYPES, name) ? MEDIA_TYPES[name as keyof typeof MEDIA_TYPES] : undefined;
}

/**
 * Frozen contracts: answered whole (no `?fields=`), locked by goldens and a schema lock, and the
 * only representations a partner key may be pinned to. A new partner contract is a new line here.
 */
export const FROZEN: ReadonlySet<VendorType> = new Set<VendorType>([PARTNER_V3, PARTNER_V4]);

/** The contract that replaces each one when it is retired (`Link: …; rel="successor-version"`). */
export const SUCCESSOR: ReadonlyMap<VendorType, VendorType> = new Map<VendorType, VendorType>([[PARTNER_V3, PARTNER_V4]]);
