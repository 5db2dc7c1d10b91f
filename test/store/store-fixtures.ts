import type { Store, StoreChange } from '../../src/domain/repository';
import type { User } from '../../src/domain/types';

/** The instant the contract suites write at; `later(ms)` is that many milliseconds after it. */
export const T0 = new Date('2026-11-20T12:00:00.000Z');
/** T0 plus `ms` milliseconds. */
export const later = (ms: number) => new Date(T0.getTime() + ms);
/** A user with an e-mail derived from its id. */
export const user = (id: string, name = `User ${id}`, createdAt = T0): User =>
  ({ id, name, email: `${id}@example.com`, avatarUrl: null, createdAt });

/** What a store offers beyond the common contract, and so what else the suite checks. */
export interface StoreTraits {
  /** The store implements `subscribe`: every write, from any process sharing it, is announced. */
  announces?: boolean;
  /** The store has `rateLimits`: counts shared by every process on the database. */
  sharesRateLimits?: boolean;
}

/** A second store on the same database, as another process would open it. */
export type Another = () => Promise<{ store: Store; close(): Promise<void> }>;

/** What a part of the contract suite is handed: the store under test and ways to set it up. */
export interface SuiteContext {
  store: () => Store;
  /** Inserts users (without passwords) by id. */
  withUsers: (...ids: string[]) => Promise<void>;
  another: Another;
  traits: StoreTraits;
}

/** Resolves with the first change `store` announces that `wanted` accepts; rejects after `timeoutMs`. */
export function announced(store: Store, wanted: (change: StoreChange) => boolean, timeoutMs = 2000): Promise<StoreChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing announced within ${timeoutMs} ms`)), timeoutMs);
    store.subscribe?.((change) => {
      if (!wanted(change)) return;
      clearTimeout(timer);
      resolve(change);
    });
  });
}

let markers = 0;

/**
 * Every change `listener` hears that `action`, run on `writer`, announced. Announcements reach a
 * listener in commit order, so a marker link written after `action` and heard by `listener` closes
 * the list without waiting a guessed time; one written before opens it past earlier writes' announcements.
 * `writer` must hold the user `ownerId` (the markers' owner).
 */
export async function announcedBy(listener: Store, writer: Store, ownerId: string, action: () => Promise<unknown>): Promise<StoreChange[]> {
  const mark = async () => {
    const code = `mark${++markers}`;
    const heard = announced(listener, (c) => c.kind === 'link' && c.code === code);
    await writer.links.insert({ code, ownerId, url: 'https://example.org/marker', title: null, tags: [], expiresAt: null }, T0);
    await heard;
  };
  await mark();
  const heard: StoreChange[] = [];
  let recording = true;
  listener.subscribe?.((change) => { if (recording && change.kind !== 'link') heard.push(change); });
  await action();
  await mark();
  recording = false;
  return heard;
}

/**
 * What a store opened on a database of an older schema (a user `Ada@Example.com` with key `k1`/`h1`,
 * no password) must do after migrating: keep the key, compare e-mails case-insensitively, take a password.
 */
export async function expectUpgradedCredentials(store: Store): Promise<void> {
  expect(await store.keys.findByHash('h1')).toEqual({ keyId: 'k1', userId: 'u1', kind: 'user', scopes: null, pin: null, expiresAt: null });
  expect(await store.credentials.findLogin('ada@example.com')).toBeNull();
  expect(await store.credentials.createAccount({ id: 'u2', name: 'Imposter', email: 'ada@example.com', avatarUrl: null, createdAt: new Date(0) }, 'h')).toBe(false);
  await store.credentials.setPassword('u1', 'hash-1', new Date(0));
  expect(await store.credentials.findLogin('ada@example.com')).toEqual({ userId: 'u1', passwordHash: 'hash-1' });
  await expect(store.ping()).resolves.toBeUndefined();
}
