import type { Dashboard } from '../../src/domain/dashboard';
import type { ResourceDefinition } from '../definition';
import { dashboardFull } from './full';
import type { DashboardNeeds } from './needs';
import { dashboardSummary } from './summary';

/** A user's dashboard: full and summary; first-party only (the partner contracts answer 406). */
export const dashboard: ResourceDefinition<Dashboard, DashboardNeeds> = [dashboardFull, dashboardSummary];
