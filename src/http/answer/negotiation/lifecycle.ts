import { SUCCESSOR } from '../../../../representations/media-types';
import type { VendorType } from '../../../../representations/media-types';
import type { Retirement } from '../../../lifecycle-config';

/** A configured retirement with the contract that replaces it. */
export interface LifecycleEntry {
  type: VendorType;
  name: string;
  deprecation: Date;
  sunset: Date | null;
  successor: VendorType | undefined;
}

/** When each representation is deprecated and retired, and the headers that say so; pure, `now` in milliseconds. */
export interface Lifecycle {
  /** Whether `type` is still offered at `now` (false from its sunset on). */
  offered(type: VendorType, now: number): boolean;
  /** `offers` minus the types retired at `now`: the same array object while none of them is retired, and one array per set retired after. */
  live(offers: readonly VendorType[], now: number): readonly VendorType[];
  /** Header name/value pairs, flat (as writeHead's raw array), for an answer of `type` at `path`: [] before its deprecation. */
  headers(type: VendorType, path: string, now: number): readonly string[];
  successor(type: VendorType): VendorType | undefined;
  /** Every configured entry, for the docs page and /openapi.yaml marking. */
  entries: readonly LifecycleEntry[];
}

/** What headers() needs of one deprecated type, built once. */
interface Plan {
  deprecationMs: number;
  sunsetMs: number;
  /** Deprecation and the deprecation Link: the headers before the successor's. */
  head: readonly string[];
  /** Sunset, when one is set: the headers after the successor's. */
  tail: readonly string[];
  /** head and tail: the whole answer of a type without a successor. */
  fixed: readonly string[];
  /** `; rel="successor-version"; type="…"` after the path; null: no successor. */
  successorTail: string | null;
}

const NONE: readonly string[] = Object.freeze([]);

// RFC 3986 §3.3: a path is pchar and "/"; anything else ('<', '>', '"', space, '?', '#', non-ASCII, a
// '%' not starting a triplet) is percent-encoded, so no path can end the Link target early.
const NOT_PATH = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/u;
const EVERY_NOT_PATH = new RegExp(NOT_PATH.source, 'gu');
// RFC 3986 §4.1: the characters a URI-reference may hold.
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;

/** `path` as a URI path: unchanged when it is one already (the common case), else each offending character as UTF-8 triplets. */
export function pathReference(path: string): string {
  if (!NOT_PATH.test(path)) return path;
  // A lone surrogate has no UTF-8 form: it is sent as U+FFFD.
  return path.replace(EVERY_NOT_PATH, (c) => (c === '%' ? '%25' : /^[\uD800-\uDFFF]$/.test(c) ? '%EF%BF%BD' : encodeURIComponent(c)));
}

/** RFC 9110 §5.6.7 IMF-fixdate (`Wed, 30 Jun 2027 00:00:00 GMT`), the form RFC 8594 §3 requires. */
function imfFixdate(ms: number): string {
  return new Date(ms).toUTCString();
}

function planOf(entry: LifecycleEntry, docsUrl: string): Plan {
  const deprecationMs = entry.deprecation.getTime();
  const head = [
    // RFC 9745 §2.1: an sf-date, `@` and the epoch seconds.
    'Deprecation', `@${Math.floor(deprecationMs / 1000)}`,
    // RFC 9745 §3: where the deprecation is explained.
    'Link', `<${docsUrl}>; rel="deprecation"; type="text/html"`,
  ];
  const tail = entry.sunset ? ['Sunset', imfFixdate(entry.sunset.getTime())] : [];
  return {
    deprecationMs,
    sunsetMs: entry.sunset?.getTime() ?? Infinity,
    head: Object.freeze(head),
    tail: Object.freeze(tail),
    fixed: Object.freeze([...head, ...tail]),
    // RFC 5829 §3: successor-version names the resource's next version, here its next representation.
    successorTail: entry.successor ? `; rel="successor-version"; type="${entry.successor}"` : null,
  };
}

/**
 * The lifecycle of the configured retirements; `docsUrl` is the page the `rel="deprecation"` link
 * names (a URI-reference, e.g. `${publicBaseUrl}/docs/contracts`).
 */
export function createLifecycle(retirements: readonly Retirement[], docsUrl: string): Lifecycle {
  if (!URI_REFERENCE.test(docsUrl)) throw new Error(`the deprecation docs URL ${JSON.stringify(docsUrl)} is no URI-reference`);
  const entries: LifecycleEntry[] = retirements.map((r) => ({ type: r.type, name: r.name, deprecation: r.deprecation, sunset: r.sunset, successor: SUCCESSOR.get(r.type) }));
  const plans = new Map<VendorType, Plan>(entries.map((entry) => [entry.type, planOf(entry, docsUrl)]));
  // The sunsets in order: how many have passed is the phase live() keeps its filtered arrays by.
  const sunsets = [...plans.values()].map((p) => p.sunsetMs).filter((ms) => ms !== Infinity).sort((a, b) => a - b);
  const firstSunset = sunsets[0] ?? Infinity;
  const filtered = new WeakMap<readonly VendorType[], { phase: number; live: readonly VendorType[] }>();

  function offered(type: VendorType, now: number): boolean {
    if (now < firstSunset) return true;
    const plan = plans.get(type);
    return plan === undefined || now < plan.sunsetMs;
  }

  return {
    offered,
    live(offers, now) {
      if (now < firstSunset) return offers;
      let phase = 0;
      while (phase < sunsets.length && sunsets[phase]! <= now) phase += 1;
      const known = filtered.get(offers);
      if (known?.phase === phase) return known.live;
      const kept = offers.filter((type) => offered(type, now));
      const live = kept.length === offers.length ? offers : Object.freeze(kept);
      filtered.set(offers, { phase, live });
      return live;
    },
    headers(type, path, now) {
      const plan = plans.get(type);
      if (plan === undefined || now < plan.deprecationMs) return NONE;
      if (plan.successorTail === null) return plan.fixed;
      return [...plan.head, 'Link', `<${pathReference(path)}>${plan.successorTail}`, ...plan.tail];
    },
    successor: (type) => SUCCESSOR.get(type),
    entries: Object.freeze(entries),
  };
}
