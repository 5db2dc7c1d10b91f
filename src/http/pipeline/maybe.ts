
/** A value now, or a promise of it when a read had to wait for the store. */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` to a value at once, or when its promise fulfils: a hot read stays synchronous. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
