import { isExpired } from '../../src/domain/links';
import type { Link } from '../../src/domain/types';

/** A link's `status` as every representation that has one says it: expired from its expiry on, else active. */
export function linkStatus(link: Link, now: Date): 'active' | 'expired' {
  return isExpired(link, now) ? 'expired' : 'active';
}
