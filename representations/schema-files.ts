// The schema files are imported (not read from disk) so that the compiler copies them into dist/.
// Representation schemas are imported by the representation that declares them, in its folder.
import problem from './problem/problem.schema.json';
import linkCreate from './link-input/create.schema.json';
import linkPartnerV3Create from './link-input/partner-v3-create.schema.json';
import linkUpdate from './link-input/update.schema.json';
import linkPartnerV3Update from './link-input/partner-v3-update.schema.json';

/** The schema files that are not representations (problem details, request bodies), keyed by their path under representations/. */
export const OTHER_SCHEMA_FILES: Record<string, object> = {
  'problem/problem.schema.json': problem,
  'link-input/create.schema.json': linkCreate,
  'link-input/partner-v3-create.schema.json': linkPartnerV3Create,
  'link-input/update.schema.json': linkUpdate,
  'link-input/partner-v3-update.schema.json': linkPartnerV3Update,
};
