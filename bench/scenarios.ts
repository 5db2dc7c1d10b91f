import { FULL, PARTNER_V3, SUMMARY } from '../representations/media-types';
import { DEMO_KEYS } from '../src/domain/seed';

/** One benchmarked request shape, sent unchanged to Facet and to every baseline. */
export interface Scenario {
  name: string;
  path: string;
  headers: Record<string, string>;
  status: 200 | 302 | 304;
  /** The registry resource whose schemas describe the body (the Fastify peer serialises with them). */
  resource?: 'link' | 'dashboard' | 'link-page';
  /** The target this scenario is judged by. */
  group: 'card' | 'dashboard-full' | 'dashboard-summary' | 'revalidate' | 'redirect' | 'link-page';
}

const CARD = '/api/links/facet';
const DASHBOARD = '/api/dashboard';
const USER = { Authorization: `Bearer ${DEMO_KEYS.user}` };

/**
 * The scenarios, in run order. The redirect records clicks, which change the link's click count
 * and so its ETag and bodies: it runs last, after every scenario that reads the card.
 */
export const SCENARIOS: Scenario[] = [
  { name: 'card summary', path: CARD, headers: { Accept: SUMMARY }, status: 200, resource: 'link', group: 'card' },
  { name: 'card full', path: CARD, headers: { Accept: FULL }, status: 200, resource: 'link', group: 'card' },
  { name: 'card partner.v3', path: CARD, headers: { Accept: PARTNER_V3 }, status: 200, resource: 'link', group: 'card' },
  // If-None-Match is filled in per server with the ETag that server itself issued.
  { name: '304 revalidation', path: CARD, headers: { Accept: SUMMARY }, status: 304, resource: 'link', group: 'revalidate' },
  { name: 'dashboard summary', path: DASHBOARD, headers: { ...USER, Accept: SUMMARY }, status: 200, resource: 'dashboard', group: 'dashboard-summary' },
  { name: 'dashboard full', path: DASHBOARD, headers: { ...USER, Accept: FULL }, status: 200, resource: 'dashboard', group: 'dashboard-full' },
  { name: 'redirect + click', path: '/facet', headers: {}, status: 302, group: 'redirect' },
];
