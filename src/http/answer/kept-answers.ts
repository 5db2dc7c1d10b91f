import { HOT_READ_TTL_MS } from '../../store/hot-read-cache';
import { AnswerCache } from './answer-cache';
import type { PreparedAnswer } from './respond';

/**
 * Computed answers (a page of links, a link's stats, a dashboard) kept while the store vouches
 * for what they were built from: the same data version (any write here, any change another
 * instance announced, bumps it) and no older than the hot reads may be (HOT_READ_TTL_MS).
 */
export interface KeptAnswers {
  /** The store's data version now, read before the data an answer is built from; undefined: nothing is kept. */
  version(): number | undefined;
  /** The answer kept under `key`, if it was built at the current version. */
  get(key: string): PreparedAnswer | undefined;
  /** Keeps `answer`, built from data read at `version`. */
  set(key: string, answer: PreparedAnswer, version: number | undefined): void;
}

/** Kept answers bounded by bytes; with no `dataVersion` (replaced services, tests) nothing is kept. */
export function createKeptAnswers(options: { dataVersion?: () => number; bytes: number }): KeptAnswers {
  const { dataVersion } = options;
  const kept = dataVersion && options.bytes > 0
    ? new AnswerCache<{ answer: PreparedAnswer; version: number }>(options.bytes, (k) => k.answer, { ttl: HOT_READ_TTL_MS })
    : null;
  return {
    version: () => (kept ? dataVersion!() : undefined),
    get(key) {
      const hit = kept?.get(key);
      return hit !== undefined && hit.version === dataVersion!() ? hit.answer : undefined;
    },
    set(key, answer, version) {
      if (version !== undefined) kept?.set(key, { answer, version });
    },
  };
}
