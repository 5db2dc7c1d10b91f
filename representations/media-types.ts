/**
 * The vendor media types Facet serves, by short name (used in ETags, logs and file names): the
 * one table a new media type is added to. VendorType, SHORT_NAME, the VCL's table
 * (src/cli/edge-vcl.ts) and the Varnish test corpus are all derived from it and from the folders.
 */
export const MEDIA_TYPES = {
  summary: 'application/vnd.example.summary+json',
  full: 'application/vnd.example.full+json',
  'partner.v3': 'application/vnd.example.partner.v3+json',
} as const;

export const SUMMARY = MEDIA_TYPES.summary;
export const FULL = MEDIA_TYPES.full;
export const PARTNER_V3 = MEDIA_TYPES['partner.v3'];
/** The media type of every error (RFC 9457). */
export const PROBLEM = 'application/problem+json';

/** A representation's media type. */
export type VendorType = (typeof MEDIA_TYPES)[keyof typeof MEDIA_TYPES];

/** Short names used in ETags, logs and file names. */
export const SHORT_NAME = Object.fromEntries(Object.entries(MEDIA_TYPES).map(([name, type]) => [type, name])) as Record<VendorType, string>;
