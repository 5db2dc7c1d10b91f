import { createHash } from 'node:crypto';
import { cardVersionOf, entityTag } from './etag';
import { AnswerCache } from './answer-cache';
import { SHORT_NAME } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import type { Registry } from '../../../representations/registry';
import { isExpired } from '../../domain/links';
import type { Link } from '../../domain/types';
import { alternatesHeader, prepareAnswer } from './respond';
import type { AnswerOptions, PreparedAnswer } from './respond';

/** Link ETags and the prepared public card, shared by the card route and the edited-link answers. */
export interface LinkCards {
  offers: readonly VendorType[];
  /** Whether an If-Match tag names this link's current editable state (clicks and expiry aside). */
  isCurrentVersion(link: Link): (tag: string) => boolean;
  /** The card of this link as `type`; built once per state and kept in a byte-bounded cache. */
  answer(link: Link, type: VendorType): PreparedAnswer;
}

export interface LinkCardDeps {
  registry: Registry;
  baseUrl: string;
  publicMaxAge: number;
  now: () => Date;
  /** Bytes of prepared cards kept; 0 keeps none (each request builds its card). */
  cacheBytes: number;
  observeCacheLookup?: (hit: boolean) => void;
  /** Vary and compression threshold of the prepared cards. */
  answerOptions?: AnswerOptions;
}

const VERSION_TAGS = 10_000;

export function createLinkCards(deps: LinkCardDeps): LinkCards {
  const { registry, baseUrl } = deps;
  const reps = registry.resource('link');
  const cacheControl = `public, max-age=${deps.publicMaxAge}`;
  const cache = deps.cacheBytes > 0
    ? new AnswerCache<PreparedAnswer>(deps.cacheBytes, (a) => a)
    : null;

  // No hashing on the hot path: each (row, version)'s tag is hashed once and remembered (bounded).
  // The registry fingerprint and the base URL (in every short URL) are part of it, so a deploy that
  // changes a representation or the public address changes every ETag.
  const versionTags = new Map<string, string>();
  const versionTag = (link: Link) => {
    const id = `${link.rowId}:${link.version}`;
    let tag = versionTags.get(id);
    if (tag === undefined) {
      tag = createHash('sha1').update(`${registry.fingerprint}:${baseUrl}:${id}`).digest('base64url').slice(0, 16);
      if (versionTags.size >= VERSION_TAGS) versionTags.clear();
      versionTags.set(id, tag);
    }
    return tag;
  };

  // `<version tag>.<clicks><a|x>.<representation>`: names everything a card's bytes depend on.
  const stateKey = (link: Link, type: VendorType) => {
    const state = isExpired(link, deps.now()) ? 'x' : 'a';
    return `${versionTag(link)}.${link.clickCount.toString(36)}${state}.${SHORT_NAME[type]}`;
  };

  const build = (link: Link, type: VendorType, key: string): PreparedAnswer => prepareAnswer({
    ...deps.answerOptions,
    type,
    etag: entityTag(key),
    cacheControl,
    alternates: alternatesHeader(`/api/links/${link.code}`, reps.offers, type),
    body: Buffer.from(JSON.stringify(reps.get(type).shape(link, { baseUrl, now: deps.now() }))),
  });

  return {
    offers: reps.offers,
    isCurrentVersion: (link) => (tag) => cardVersionOf(tag) === versionTag(link),
    answer(link, type) {
      const key = stateKey(link, type);
      let answer = cache?.get(key);
      deps.observeCacheLookup?.(answer !== undefined);
      if (answer === undefined) {
        answer = build(link, type, key);
        cache?.set(key, answer);
      }
      return answer;
    },
  };
}
