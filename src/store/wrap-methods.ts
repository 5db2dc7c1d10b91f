type Method = (...args: unknown[]) => Promise<unknown>;

/** A copy of `repo` whose every method is `around(method)`; other members are kept as they are. */
export function wrapMethods<T extends object>(repo: T, around: (method: Method) => Method): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repo)) {
    wrapped[name] = typeof member === 'function' ? around((member as Method).bind(repo)) : member;
  }
  return wrapped as T;
}

/**
 * Wraps every method so that whatever its driver throws leaves as `translate` maps it: the one
 * place per store where driver codes become the contract's typed errors.
 */
export function translateErrors<T extends object>(repo: T, translate: (err: unknown) => unknown): T {
  return wrapMethods(repo, (method) => async (...args) => {
    try {
      return await method(...args);
    } catch (err) {
      throw translate(err);
    }
  });
}
