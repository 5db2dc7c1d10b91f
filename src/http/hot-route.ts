import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../domain/types';

/** A value now, or a promise of it when a read had to wait for the store. */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` to a value at once, or when its promise fulfils: a hot read stays synchronous. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * A route answered on plain node objects, so that Express (src/http/routes/) and the dispatcher
 * (src/http/fast-path.ts) call the very same function: every rule of the route — code syntax,
 * limits, negotiation, user-keys-only, expiry — is decided inside `answer`, in one order.
 * `answer` writes the whole response, or throws (or rejects) for the failure answer to write.
 */
export interface HotRoute {
  /** The route template: Express registers it and logs and metrics label answers with it. */
  label: string;
  /** Under /api: answers vary on negotiation and the caller is authenticated before `answer`. */
  api: boolean;
  /** The caller may be signed in by the web session cookie (private routes); false: the cookie is ignored. */
  session: boolean;
  /** `param` is the route's one path parameter (the code), '' when it has none. */
  answer(req: IncomingMessage, res: ServerResponse, param: string, principal: Principal | null): MaybePromise<void>;
}
