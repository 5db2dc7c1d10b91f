import type { IncomingMessage, ServerResponse } from 'node:http';
import { SHORT_NAME } from '../../../../representations/media-types';
import type { VendorType } from '../../../../representations/media-types';
import type { Lifecycle } from './lifecycle';
import type { Principal } from '../../../domain/types';
import { HttpError } from '../problems';
import { answerHeader } from '../../guards/common-headers';
import { defaultRepresentation } from './default-representation';
import { negotiate } from './negotiate';
import type { Negotiated } from './negotiate';

/** Every negotiated response varies on these; the credential decides the default (partner pin). */
export const VARY = 'Accept, X-Client-Platform, Authorization';

/**
 * Marks an answer as negotiated: every /api answer, a 401 before negotiation included, carries it
 * (`vary` adds Origin when CORS grants depend on it). A prepared answer replaces it with its own,
 * which adds Accept-Encoding.
 */
export function varyOnNegotiation(res: ServerResponse, vary = VARY): void {
  answerHeader(res, 'Vary', vary);
}

const MEMO_ENTRIES = 256;
const MEMO_KEY_MAX = 256;

/** Picks one of a resource's offers for an Accept header and a default; remembers its outcomes. */
export type Chooser = (accept: string | undefined, defaultType: VendorType) => Negotiated;

/** The media type of the browsable view (rule 7), listed in a 406 where it is offered. */
export const HTML = 'text/html';

/**
 * negotiate() is pure, so its outcome is remembered per (default, Accept): clients send a handful
 * of distinct values. Bounded in entries and key length, so varied spellings cost only a miss,
 * and a miss is bounded by the Accept parser's own limits.
 */
export function createChooser(offers: readonly VendorType[], html = false): Chooser {
  const memo = new Map<string, Negotiated>();
  return function choose(accept, defaultType) {
    if (accept !== undefined && accept.length > MEMO_KEY_MAX) return negotiate(accept, offers, defaultType, html);
    const key = accept === undefined ? defaultType : `${defaultType} ${accept}`;
    let outcome = memo.get(key);
    if (outcome === undefined) {
      outcome = negotiate(accept, offers, defaultType, html);
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(key, outcome);
    }
    return outcome;
  };
}

/** A request's choice: the representation, and whether it is shown as the browsable HTML view. */
export type Chosen = Extract<Negotiated, { ok: true }>;

/** Chooses a request's representation of a resource, or throws its 400 (Accept over the limits) or 406. */
export type NegotiateRequest = (req: IncomingMessage, principal: Principal | null) => Chosen;

/** What negotiation needs beyond the offers: the browsable view (GET routes) and the retirements. */
export interface NegotiationOptions {
  html?: boolean;
  /** Retired representations are not offered (rule 8); none when not given. */
  lifecycle?: Lifecycle;
  now?: () => number;
}

/**
 * The one negotiation of a request (rules 1–8), called by every route that negotiates, before
 * any data is loaded: the default from the credential and platform, then the memoised choice
 * among the offers still live. With `html` (GET routes), `text/html` may choose the browsable
 * view of the default.
 */
export function createNegotiation(offers: readonly VendorType[], options: NegotiationOptions = {}): NegotiateRequest {
  const { html = false, lifecycle, now = Date.now } = options;
  const allLive = createChooser(offers, html);
  // One chooser per set of live offers: live() keeps each set's array, so the identity is the key.
  const choosers = new Map<readonly VendorType[], Chooser>([[offers, allLive]]);
  return function negotiateRequest(req, principal) {
    const defaultType = defaultRepresentation({
      keyKind: principal?.kind ?? null,
      via: principal?.via ?? null,
      pin: principal?.pin,
      platform: req.headers['x-client-platform'] as string | undefined,
    });
    const live = lifecycle ? lifecycle.live(offers, now()) : offers;
    let choose = choosers.get(live);
    if (choose === undefined) choosers.set(live, (choose = createChooser(live, html)));
    const outcome = choose(req.headers.accept, defaultType);
    if (outcome.ok) return outcome;
    if (outcome.overLimit !== undefined) throw new HttpError('too-many-accept-ranges', outcome.overLimit);
    const acceptable = html && live.includes(defaultType) ? [...outcome.acceptable, HTML] : [...outcome.acceptable];
    const retired = live === offers ? '' : retiredNotice(offers.filter((t) => !live.includes(t)), defaultType, req.headers.accept, lifecycle!);
    throw new HttpError('not-acceptable', `${retired}This resource is available as: ${acceptable.join(', ')}.`, { acceptable });
  };
}

/** The sentence a 406 opens with when what was asked for (or pinned) is retired: its successor, and how to move to it. */
function retiredNotice(retired: readonly VendorType[], defaultType: VendorType, accept: string | undefined, lifecycle: Lifecycle): string {
  const asked = retired.filter((t) => t === defaultType || (accept ?? '').toLowerCase().includes(t));
  return asked.map((t) => {
    const successor = lifecycle.successor(t);
    const pinned = t === defaultType ? ' (the default of this credential)' : '';
    const next = successor ? ` Its successor is ${SHORT_NAME[successor]} (Accept: ${successor}); a key is moved to it with npm run keys -- pin <key> ${SHORT_NAME[successor]}.` : '';
    return `${SHORT_NAME[t]}${pinned} is retired.${next} `;
  }).join('');
}
