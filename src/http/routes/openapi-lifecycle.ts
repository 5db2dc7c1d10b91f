import { isMap, isScalar, parseDocument, visit } from 'yaml';
import type { LifecycleEntry } from '../answer/negotiation/lifecycle';

/**
 * openapi.yaml as this deployment serves it: every content entry of a deprecated media type gets
 * `deprecated: true` on its schema and `x-facet-lifecycle` (deprecation, sunset, successor), from
 * DEPRECATE and SUNSET. The file's own bytes (and comments) when nothing is deprecated.
 */
export function markDeprecations(yamlText: string, entries: readonly LifecycleEntry[]): string {
  if (entries.length === 0) return yamlText;
  const byType = new Map(entries.map((e) => [e.type as string, e]));
  const doc = parseDocument(yamlText);
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'content' || !isMap(pair.value)) return;
      for (const item of pair.value.items) {
        const entry = isScalar(item.key) ? byType.get(String(item.key.value)) : undefined;
        if (entry === undefined || !isMap(item.value)) continue;
        const schema = item.value.get('schema', true);
        if (isMap(schema)) schema.set('deprecated', true);
        item.value.set('x-facet-lifecycle', doc.createNode({
          deprecation: entry.deprecation.toISOString(),
          sunset: entry.sunset?.toISOString() ?? null,
          successor: entry.successor ?? null,
        }));
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
