/** What the listing route loads for a page representation. */
export interface LinkPageNeeds {
  /** Links a page holds when the request names no `limit`. */
  pageSize: number;
}
