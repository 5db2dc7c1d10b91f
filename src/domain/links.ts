import type { LinkRepository, LinkCursor } from './repository';
import { generateCode, isReservedCode } from './codes';
import { DomainError } from './errors';
import type { FieldError } from './errors';
import type { Link, LinkChanges, Page } from './types';
import { checkTargetUrl } from './url-policy';

/** A request to create a link, after schema validation, in first-party field names. */
export interface LinkInput {
  url: string;
  code?: string;
  title?: string | null;
  tags?: string[];
  expiresAt?: Date | null;
}

/** The links service: every rule about links, plain data in and out. */
export interface LinkService {
  /** The public card; throws not-found. */
  get(code: string): Promise<Link>;
  /** A link that can be followed now; throws not-found or gone (expired). */
  resolve(code: string): Promise<Link>;
  /**
   * The link by code if it is at hand without waiting for the store: the link, null when known
   * not to exist, undefined when get() must read.
   */
  peek?(code: string): Link | null | undefined;
  /** The owner's own link; another owner's link is not-found, so existence is not leaked. */
  getOwned(ownerId: string, code: string): Promise<Link>;
  list(ownerId: string, limit: number, cursor: string | null): Promise<Page<Link>>;
  create(ownerId: string, input: LinkInput): Promise<Link>;
  /** `precondition` sees the current link; returning false refuses with `stale`. */
  update(ownerId: string, code: string, changes: LinkChanges, precondition?: (current: Link) => boolean): Promise<Link>;
  remove(ownerId: string, code: string, precondition?: (current: Link) => boolean): Promise<void>;
}

/** The last expiry a link may have: 9999-12-31T23:59:59.999Z, the last instant RFC 3339 can write. */
export const LAST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether a link has expired at `now`: it is gone to visitors, and its card says so. */
export function isExpired(link: Link, now: Date): boolean {
  return link.expiresAt !== null && link.expiresAt.getTime() <= now.getTime();
}

/** The link read for `code`, or the not-found error when there is none. */
export function foundLink(link: Link | null, code: string): Link {
  if (!link) throw new DomainError('not-found', `No link with code ${code}.`);
  return link;
}

/** The link read for `code` if it can be followed at `now`: not-found when none, gone when expired. */
export function followableLink(link: Link | null, code: string, now: Date): Link {
  const found = foundLink(link, code);
  if (found.expiresAt && isExpired(found, now)) {
    throw new DomainError('gone', `Link ${code} expired at ${found.expiresAt.toISOString()}.`);
  }
  return found;
}

/** Encodes a position in the newest-first listing as an opaque cursor. */
export function encodeCursor(cursor: LinkCursor): string {
  return Buffer.from(`${cursor.createdAt}.${cursor.rowId}`).toString('base64url');
}

/** Decodes an opaque cursor; null when it is not one this service issued. */
export function decodeCursor(cursor: string): LinkCursor | null {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? { createdAt: Number(match[1]), rowId: Number(match[2]) } : null;
}

// C0 controls and DEL; C1 controls (U+0080–U+009F) as well.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function invalid(errors: FieldError[]): DomainError {
  return new DomainError('invalid', errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '), errors);
}

function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
}

/** Builds the links service over a repository; `ownHosts` are the hosts links may not point at. */
export function createLinkService(repo: LinkRepository, options: { ownHosts: () => string[]; now: () => Date }): LinkService {
  const { now } = options;

  function checkUrl(url: string, errors: FieldError[]): string {
    const check = checkTargetUrl(url, options.ownHosts());
    if (!check.ok) errors.push({ pointer: '/url', detail: `url ${check.reason}` });
    return check.ok ? check.url : url;
  }

  function checkExpiry(expiresAt: Date | null | undefined, errors: FieldError[]): void {
    // A leap second or an epoch past ±8.64e15 ms (ECMA-262 §21.4.1.1) reads as an invalid Date,
    // and a year past 9999 has no RFC 3339 form for the representations: refused, never dropped.
    if (expiresAt && !(expiresAt.getTime() <= LAST_EXPIRY_MS)) {
      errors.push({ pointer: '/expiresAt', detail: 'expiresAt is not a representable date (no leap seconds; at most 9999-12-31T23:59:59Z)' });
    } else if (expiresAt && expiresAt.getTime() <= now().getTime()) {
      errors.push({ pointer: '/expiresAt', detail: 'expiresAt must be in the future' });
    }
  }

  // Text is stored as sent, so it must be text every store and client can hold: no control
  // characters (PostgreSQL refuses NUL outright) and no lone UTF-16 surrogates (not Unicode).
  function checkText(changes: { title?: string | null; tags?: string[] }, errors: FieldError[]): void {
    const bad = (text: string) => CONTROL_CHARACTERS.test(text) || LONE_SURROGATE.test(text);
    if (typeof changes.title === 'string' && bad(changes.title)) {
      errors.push({ pointer: '/title', detail: 'title must be text without control characters or unpaired surrogates' });
    }
    changes.tags?.forEach((tag, i) => {
      if (bad(tag)) errors.push({ pointer: `/tags/${i}`, detail: 'a tag must be text without control characters or unpaired surrogates' });
    });
  }

  async function getOwned(ownerId: string, code: string, fresh = false): Promise<Link> {
    const link = await repo.findByCode(code, { fresh });
    if (!link || link.ownerId !== ownerId) throw new DomainError('not-found', `No link ${code} of yours exists.`);
    return link;
  }

  return {
    async get(code) {
      return foundLink(await repo.findByCode(code), code);
    },
    peek: (code) => repo.peekByCode?.(code),
    async resolve(code) {
      return followableLink(await repo.findByCode(code), code, now());
    },
    getOwned: (ownerId, code) => getOwned(ownerId, code),
    async list(ownerId, limit, cursor) {
      const after = cursor === null ? null : decodeCursor(cursor);
      if (cursor !== null && after === null) throw new DomainError('invalid', 'The cursor is not one this service issued.');
      const page = await repo.listByOwner(ownerId, limit, after);
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
    async create(ownerId, input) {
      const errors: FieldError[] = [];
      const url = checkUrl(input.url, errors);
      if (input.code !== undefined && isReservedCode(input.code)) {
        errors.push({ pointer: '/code', detail: `code ${input.code} is reserved` });
      }
      checkExpiry(input.expiresAt, errors);
      checkText(input, errors);
      if (errors.length > 0) throw invalid(errors);
      const base = { ownerId, url, title: input.title ?? null, tags: normaliseTags(input.tags ?? []), expiresAt: input.expiresAt ?? null };
      if (input.code !== undefined) {
        const link = await repo.insert({ ...base, code: input.code }, now());
        if (!link) throw new DomainError('conflict', `The code ${input.code} is already taken.`);
        return link;
      }
      // 57^7 ≈ 1.9e12 codes: a collision is rare, a few retries make failure practically impossible.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const code = generateCode();
        if (isReservedCode(code)) continue;
        const link = await repo.insert({ ...base, code }, now());
        if (link) return link;
      }
      throw new Error('could not allocate a free short code after 5 attempts');
    },
    async update(ownerId, code, changes, precondition) {
      const errors: FieldError[] = [];
      const normalised: LinkChanges = { ...changes };
      if (changes.url !== undefined) normalised.url = checkUrl(changes.url, errors);
      if (changes.tags !== undefined) normalised.tags = normaliseTags(changes.tags);
      checkExpiry(changes.expiresAt, errors);
      checkText(changes, errors);
      if (errors.length > 0) throw invalid(errors);
      // Optimistic concurrency: the write applies only to the version the precondition saw.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        // Writes judge If-Match against the stored link, not a cached copy another instance just outdated.
        const current = await getOwned(ownerId, code, true);
        if (precondition && !precondition(current)) throw new DomainError('stale', 'The link has changed since you read it.');
        const updated = await repo.update(code, current.version, normalised, now());
        if (updated) return updated;
        if (precondition) throw new DomainError('stale', 'The link has changed since you read it.');
      }
      throw new DomainError('stale', 'The link kept changing; try again.');
    },
    async remove(ownerId, code, precondition) {
      const current = await getOwned(ownerId, code, true);
      if (precondition && !precondition(current)) throw new DomainError('stale', 'The link has changed since you read it.');
      if (!(await repo.delete(code, current.version))) throw new DomainError('stale', 'The link changed while being deleted.');
    },
  };
}
