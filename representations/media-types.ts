/** The vendor media types Facet serves, and the problem type every error uses. */
export const SUMMARY = 'application/vnd.example.summary+json';
export const FULL = 'application/vnd.example.full+json';
export const PARTNER_V3 = 'application/vnd.example.partner.v3+json';
export const PROBLEM = 'application/problem+json';

/** A representation's media type. */
export type VendorType = typeof SUMMARY | typeof FULL | typeof PARTNER_V3;

/** Short names used in ETags, logs and file names. */
export const SHORT_NAME: Record<VendorType, string> = {
  [SUMMARY]: 'summary',
  [FULL]: 'full',
  [PARTNER_V3]: 'partner.v3',
};
