import { FULL, PARTNER_V3, SUMMARY } from '../../../../representations/media-types';
import type { VendorType } from '../../../../representations/media-types';
import type { CredentialKind, KeyKind } from '../../../domain/types';

/** What decides a request's default representation (docs/design.md, negotiation rule 2). */
export interface RequestTraits {
  /** Kind of the presented credential, if any. */
  keyKind: KeyKind | null;
  /** How the caller signed in, if it did. */
  via?: CredentialKind | null;
  /** Raw `X-Client-Platform` header. */
  platform: string | undefined;
  /** The frozen contract the key is pinned to (`npm run keys -- pin`); null or absent: partner.v3. Partner keys only. */
  pin?: VendorType | null;
}

// A Map, not an object literal: a header value such as `__proto__` must not reach the prototype.
export const PLATFORM_DEFAULTS: ReadonlyMap<string, VendorType> = new Map<string, VendorType>([['ios', SUMMARY], ['android', SUMMARY], ['web', FULL]]);

/** What each way of signing in stands for when the platform is not said: the browser's session the web app, the access token the phone. */
const CREDENTIAL_DEFAULTS = new Map<CredentialKind, VendorType>([['session', FULL], ['token', SUMMARY]]);

/** The representation generic ranges stand for: partner pin, else platform, else the credential's client, else full. */
export function defaultRepresentation(traits: RequestTraits): VendorType {
  // A partner key is pinned to its contract, the way Stripe pins an account's API version: moved
  // only on request, and partner.v3 for a key never pinned.
  if (traits.keyKind === 'partner') return traits.pin ?? PARTNER_V3;
  const platform = traits.platform?.trim().toLowerCase();
  return (platform && PLATFORM_DEFAULTS.get(platform)) || (traits.via && CREDENTIAL_DEFAULTS.get(traits.via)) || FULL;
}
