// The schema files are imported (not read from disk) so that the compiler copies them into dist/.
import linkStatsFull from './link-stats/full.schema.json';
import linkStatsSummary from './link-stats/summary.schema.json';
import linkStatsPartnerV3 from './link-stats/partner-v3.schema.json';
import meFull from './me/full.schema.json';
import meSummary from './me/summary.schema.json';
import mePartnerV3 from './me/partner-v3.schema.json';
import teamFull from './team/full.schema.json';
import teamSummary from './team/summary.schema.json';
import dashboardFull from './dashboard/full.schema.json';
import dashboardSummary from './dashboard/summary.schema.json';
import linkFull from './link/full.schema.json';
import linkSummary from './link/summary.schema.json';
import linkPartnerV3 from './link/partner-v3.schema.json';
import linkPageFull from './link-page/full.schema.json';
import linkPageSummary from './link-page/summary.schema.json';
import linkPagePartnerV3 from './link-page/partner-v3.schema.json';
import problem from './problem/problem.schema.json';
import linkCreate from './link-input/create.schema.json';
import linkPartnerV3Create from './link-input/partner-v3-create.schema.json';
import linkUpdate from './link-input/update.schema.json';
import linkPartnerV3Update from './link-input/partner-v3-update.schema.json';

/** Every JSON Schema file, keyed by its path under representations/ (the path openapi.yaml uses). */
export const SCHEMA_FILES: Record<string, object> = {
  'link/full.schema.json': linkFull,
  'link/summary.schema.json': linkSummary,
  'link/partner-v3.schema.json': linkPartnerV3,
  'link-page/full.schema.json': linkPageFull,
  'link-page/summary.schema.json': linkPageSummary,
  'link-page/partner-v3.schema.json': linkPagePartnerV3,
  'link-stats/full.schema.json': linkStatsFull,
  'link-stats/summary.schema.json': linkStatsSummary,
  'link-stats/partner-v3.schema.json': linkStatsPartnerV3,
  'me/full.schema.json': meFull,
  'me/summary.schema.json': meSummary,
  'me/partner-v3.schema.json': mePartnerV3,
  'team/full.schema.json': teamFull,
  'team/summary.schema.json': teamSummary,
  'dashboard/full.schema.json': dashboardFull,
  'dashboard/summary.schema.json': dashboardSummary,
  'problem/problem.schema.json': problem,
  'link-input/create.schema.json': linkCreate,
  'link-input/partner-v3-create.schema.json': linkPartnerV3Create,
  'link-input/update.schema.json': linkUpdate,
  'link-input/partner-v3-update.schema.json': linkPartnerV3Update,
};
