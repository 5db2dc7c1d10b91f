import { LRUCache } from 'lru-cache';
import type { PreparedAnswer } from './respond';

/** What a kept answer costs besides its body: its header strings, roughly. */
export const ANSWER_OVERHEAD_BYTES = 512;

/** A parsed JSON body held in memory, against the bytes of its text (V8 objects take 2–4 times as much). */
export const PARSED_BYTES_PER_BYTE = 3;

/**
 * The bytes an answer holds in memory: its body and headers, and those of everything made from it
 * and kept on it: its encoded variants, its browsable page, its parsed body (for field selections).
 */
export function answerBytes(answer: PreparedAnswer): number {
  let bytes = answer.body.length + ANSWER_OVERHEAD_BYTES;
  if (answer.parsed !== undefined) bytes += answer.body.length * PARSED_BYTES_PER_BYTE;
  for (const variant of Object.values(answer.encoded)) if (variant) bytes += answerBytes(variant);
  if (answer.page) bytes += answerBytes(answer.page.answer);
  return bytes;
}

/** A cache keeping answers, which can be told that one of them grew. */
export interface AnswerKeeper {
  resize(key: string): void;
}

/** Tells every cache keeping `answer` that it holds more now (a variant was made and kept on it). */
export function grew(answer: PreparedAnswer): void {
  if (answer.keptBy) for (const [cache, key] of answer.keptBy) cache.resize(key);
}

/**
 * A byte-bounded cache of prepared answers (or of records holding one): cards, sparse variants,
 * dashboards, pages. An entry's size is answerBytes() of its answer, taken again whenever the
 * answer grows, so a budget bounds the compressed, sparse and page copies too, not only the first
 * body (50k distinct `?fields=` selections once doubled the process's memory past every budget).
 */
export class AnswerCache<V extends object> implements AnswerKeeper {
  private readonly lru: LRUCache<string, V>;
  constructor(maxBytes: number, private readonly answerOf: (value: V) => PreparedAnswer, options: { ttl?: number } = {}) {
    this.lru = new LRUCache<string, V>({ maxSize: maxBytes, sizeCalculation: (value) => answerBytes(answerOf(value)), ...options });
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: V): void {
    this.lru.set(key, value);
    const answer = this.answerOf(value);
    (answer.keptBy ??= new Map()).set(this, key);
  }

  /** Bytes charged now, over all entries. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** Charges `key` again for what its answer holds now, keeping its time to live (lru-cache sizes an entry when it is set). */
  resize(key: string): void {
    const value = this.lru.peek(key);
    if (value === undefined) return;
    const ttl = this.lru.getRemainingTTL(key);
    this.lru.delete(key);
    if (ttl > 0) this.lru.set(key, value, Number.isFinite(ttl) ? { ttl } : {});
  }
}
