/** What the dashboard fans out for a dashboard representation. */
export interface DashboardNeeds {
  /** Most recent links it shows. */
  links: number;
  /** UTC days of analytics per link; null: no analytics are loaded at all. */
  analyticsDays: number | null;
}
