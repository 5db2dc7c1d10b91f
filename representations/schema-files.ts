// The schema files are imported (not read from disk) so that the compiler copies them into dist/.
// Representation schemas are imported by the representation that declares them, in its folder.
import problem from './problem/problem.schema.json';
import linkCreate from './link-input/create.schema.json';
import linkPartnerV3Create from './link-input/partner-v3-create.schema.json';
import linkUpdate from './link-input/update.schema.json';
import linkPartnerV3Update from './link-input/partner-v3-update.schema.json';
import accountCreate from './sign-in/account-create.schema.json';
import credentials from './sign-in/credentials.schema.json';
import passwordChange from './sign-in/password-change.schema.json';
import session from './sign-in/session.schema.json';
import tokenResponse from './sign-in/token-response.schema.json';
import oauthError from './sign-in/oauth-error.schema.json';
import tokenRequest from './sign-in/token-request.schema.json';
import revokeRequest from './sign-in/revoke-request.schema.json';

/** The schema files that are not representations (problem details, request bodies), keyed by their path under representations/. */
export const OTHER_SCHEMA_FILES: Record<string, object> = {
  'problem/problem.schema.json': problem,
  'link-input/create.schema.json': linkCreate,
  'link-input/partner-v3-create.schema.json': linkPartnerV3Create,
  'link-input/update.schema.json': linkUpdate,
  'link-input/partner-v3-update.schema.json': linkPartnerV3Update,
  'sign-in/account-create.schema.json': accountCreate,
  'sign-in/credentials.schema.json': credentials,
  'sign-in/password-change.schema.json': passwordChange,
  'sign-in/session.schema.json': session,
  'sign-in/token-response.schema.json': tokenResponse,
  'sign-in/oauth-error.schema.json': oauthError,
  'sign-in/token-request.schema.json': tokenRequest,
  'sign-in/revoke-request.schema.json': revokeRequest,
};
