/** What the stats route loads for a stats representation. */
export interface LinkStatsNeeds {
  /** UTC days of analytics it is shaped from (the summary shows the last 7 of them). */
  days: number;
}
