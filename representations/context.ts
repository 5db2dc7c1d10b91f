/** What a shaping function may know besides the entity: nothing request-specific but the public base URL. */
export interface ShapeContext {
  /** Public base URL without a trailing slash, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** The instant that decides time-dependent fields such as `status`. */
  now: Date;
}

/** Epoch seconds, as the frozen partner contract counts time. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
