import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { variantTag } from './etag';
import { AnswerCache, grew } from './answer-cache';
import { parseFields, projectFields } from '../../../representations/fields';
import type { FieldSelection } from '../../../representations/fields';
import { SHORT_NAME } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { HttpError } from './problems';
import { prepareAnswer } from './respond';
import type { PreparedAnswer } from './respond';

/** What readFields needs of a representation: its type and the paths its schema allows. */
interface Selectable {
  type: VendorType;
  fields: ReadonlySet<string> | null;
}

/**
 * Reads `?fields=` (repeated parameters are joined) for the chosen representation: null when absent;
 * a 400 invalid-fields problem naming the unknown paths, for an empty list, or on a frozen contract.
 */
export function readFields(raw: unknown, rep: Selectable): FieldSelection | null {
  if (raw === undefined) return null;
  if (rep.fields === null) {
    throw new HttpError('invalid-fields', `${SHORT_NAME[rep.type]} is a frozen contract and has no variants: ask without fields, or for summary or full.`);
  }
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  if (typeof text !== 'string') throw new HttpError('invalid-fields', 'fields must be a comma-separated list of member paths.');
  const outcome = parseFields(text, rep.fields);
  if (outcome.ok) return outcome.selection;
  if (outcome.reason === 'unknown') {
    const named = outcome.unknown.slice(0, 5).map((p) => `"${p.slice(0, 80)}"`).join(', ');
    throw new HttpError('invalid-fields', `${SHORT_NAME[rep.type]} has no member ${named}; paths are the schema's member names, dotted (e.g. links.link.code).`);
  }
  throw new HttpError('invalid-fields', outcome.reason === 'empty' ? 'fields names no member.' : 'fields names more than 64 members.');
}

/** The `fields` parameters of the request target, as given (repeated ones listed); undefined when none. */
function fieldsParameter(req: IncomingMessage): string | string[] | undefined {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  if (query === -1 || !url.includes('fields', query)) return undefined;
  const values = new URLSearchParams(url.slice(query + 1)).getAll('fields');
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

/**
 * The selection `?fields=` asks of the chosen representation, read from the request target the
 * same way on every path (the dispatcher has no Express query); null for the whole representation.
 */
export function requestedFields(req: IncomingMessage, rep: Selectable): FieldSelection | null {
  return readFields(fieldsParameter(req), rep);
}

/** Sparse variants of prepared answers, and the computed answers they are made from. */
export interface SparseAnswers {
  /** The answer itself without a selection, else its sparse variant: own strong ETag, prepared once and kept. */
  select(answer: PreparedAnswer, selection: FieldSelection | null): PreparedAnswer;
  /**
   * A computed answer (a page, stats, a profile) built again with the same bytes is the kept one,
   * so its encodings and sparse variants are made once per version, not once per request.
   */
  keep(answer: PreparedAnswer): PreparedAnswer;
}


/** The ETag of a sparse variant: the whole answer's tag and a hash of the normalised selection. */
export function sparseEtag(etag: string, selection: FieldSelection): string {
  const hash = createHash('sha1').update(selection.key).digest('base64url').slice(0, 12);
  return variantTag(etag, `~${hash}`);
}

/** Builds sparse variants from the whole answer's body and keeps them, bounded by bytes (0 keeps none). */
export function createSparseAnswers(options: { cacheBytes: number }): SparseAnswers {
  const kept = options.cacheBytes > 0
    ? new AnswerCache<PreparedAnswer>(options.cacheBytes, (a) => a)
    : null;
  return {
    keep(answer) {
      const key = `${answer.etag} ${answer.source.type} ${answer.source.alternates}`;
      const known = kept?.get(key);
      if (known !== undefined) return known;
      kept?.set(key, answer);
      return answer;
    },
    select(answer, selection) {
      if (selection === null) return answer;
      // The tag names (resource version or bytes, representation); alternates name the URL.
      const key = `${answer.etag} ${selection.key} ${answer.source.alternates}`;
      let sparse = kept?.get(key);
      if (sparse === undefined) {
        // Projected from the whole answer's parsed body, parsed once and kept on it (and charged to
        // the caches keeping it): a new selection no longer re-parses 25 KB of a dashboard.
        if (answer.parsed === undefined) {
          answer.parsed = JSON.parse(answer.body.toString()) as unknown;
          grew(answer);
        }
        const body = Buffer.from(JSON.stringify(projectFields(answer.parsed, selection.tree)));
        sparse = prepareAnswer({ ...answer.source, etag: sparseEtag(answer.etag, selection), body });
        kept?.set(key, sparse);
      }
      return sparse;
    },
  };
}
