import { parseArgs } from 'node:util';
import { SHORT_NAME } from '../../representations/media-types';
import { USAGE_RETENTION_DAYS, utcDay } from '../domain/key-usage';
import type { KeyInfo, Store } from '../domain/repository';
import { UsageError } from './usage-error';

/** How far back `usage` looks by default. */
const DEFAULT_DAYS = 30;
const NEVER = 'never';

/** One line of the report: a key, and its answers in one representation over the window ('-', 0 for a key with none). */
interface Row { key: KeyInfo; representation: string; answers: number }

const pinOf = (k: KeyInfo) => (k.kind !== 'partner' ? '-' : k.pin === null ? 'default' : SHORT_NAME[k.pin]);

/** Columns padded to their widest cell; counts right-aligned. */
function table(header: string[], lines: string[][], right: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [format(header), ...lines.map(format)];
}

/**
 * `usage [--days N] [--json]`: answers per key and representation over the last N UTC days (today
 * included), with each key's last use. As flushed: a running service writes every ~30 s and at shutdown.
 */
export async function usage(store: Store, args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { days: { type: 'string' }, json: { type: 'boolean' } } });
  const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > USAGE_RETENTION_DAYS) throw new UsageError(`--days must be a whole number from 1 to ${USAGE_RETENTION_DAYS} (what is kept)`);
  const now = Date.now();
  const from = utcDay(now, days - 1);
  const to = utcDay(now);
  const [keys, totals] = await Promise.all([store.keys.list(), store.keys.usage(from)]);
  const byKey = new Map<string, { representation: string; answers: number }[]>();
  for (const t of totals) byKey.set(t.keyId, [...(byKey.get(t.keyId) ?? []), { representation: t.representation, answers: t.answers }]);
  const rows: Row[] = keys.flatMap((key) => (byKey.get(key.id) ?? [{ representation: '-', answers: 0 }]).map((r) => ({ key, ...r })));
  if (values.json) {
    out(JSON.stringify({
      from, to,
      keys: keys.map((k) => ({
        id: k.id, kind: k.kind, userId: k.userId, label: k.label, pin: k.kind === 'partner' && k.pin !== null ? SHORT_NAME[k.pin] : null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
        answers: Object.fromEntries((byKey.get(k.id) ?? []).map((r) => [r.representation, r.answers])),
      })),
    }, null, 2));
    return 0;
  }
  out(`answers per key and representation, ${from} to ${to} (UTC, ${days} days)`);
  const lines = rows.map(({ key, representation, answers }) => [key.id, key.kind, key.userName, pinOf(key), representation, String(answers), key.lastUsedAt?.toISOString() ?? NEVER]);
  for (const line of table(['key', 'kind', 'user', 'pin', 'representation', 'answers', 'last used'], lines, new Set([5]))) out(line);
  return 0;
}
