import type { ShapeContext } from './context';
import type { VendorType } from './media-types';

/**
 * One representation, declared next to its schema in its resource's folder: the media type, the
 * schema file (imported, so the compiler copies it into dist/), the pure shaping function and what
 * the route loads for it (`needs`: page size, time window…). Written `{ … } satisfies
 * RepresentationDefinition<Link>`, so tsc refuses a shaper wired to the wrong resource.
 */
export interface RepresentationDefinition<E, N = Record<string, never>> {
  type: VendorType;
  /** The schema file's path under representations/ (the path openapi.yaml refers to). */
  schema: string;
  /** The schema file's content. */
  document: object;
  shape: (entity: E, ctx: ShapeContext) => unknown;
  needs: N;
}

/** A resource's representations, the default (full) first; the folder's index.ts exports it. */
export type ResourceDefinition<E, N = Record<string, never>> = readonly RepresentationDefinition<E, N>[];
