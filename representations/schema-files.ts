// The schema files are imported (not read from disk) so that the compiler copies them into dist/.
// Representation schemas are imported by the representation that declares them, in its folder;
// request bodies' by their format table (link-input/formats.ts).
import problem from './problem/problem.schema.json';
import { LINK_INPUT_SCHEMA_FILES } from './link-input/formats';
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
  ...LINK_INPUT_SCHEMA_FILES,
  'sign-in/account-create.schema.json': accountCreate,
  'sign-in/credentials.schema.json': credentials,
  'sign-in/password-change.schema.json': passwordChange,
  'sign-in/session.schema.json': session,
  'sign-in/token-response.schema.json': tokenResponse,
  'sign-in/oauth-error.schema.json': oauthError,
  'sign-in/token-request.schema.json': tokenRequest,
  'sign-in/revoke-request.schema.json': revokeRequest,
};
