import type { Link, Page } from '../../src/domain/types';

/** What every link-page shaping function receives. */
export interface LinkPage {
  page: Page<Link>;
  pageSize: number;
  /** Absolute URL of this page and of the next one (null on the last page). */
  self: string;
  next: string | null;
}
