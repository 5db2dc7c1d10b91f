import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { andThen } from './maybe';
import type { MaybePromise } from './maybe';

/** One step of the pipeline before the routes: the same function whether Express or the dispatcher answers. */
export interface Stage {
  /** For reading the pipeline and naming it in errors. */
  name: string;
  /** Which requests it applies to (by their target); all when absent. */
  applies?: (url: string) => boolean;
  /** Runs the step; throws (or rejects with) the failure to answer. */
  run(req: IncomingMessage, res: ServerResponse): MaybePromise<void>;
}

/** Whether a request target is under /api; case-insensitive, as Express routes and mounts paths. */
export function isApi(url: string): boolean {
  return /^\/api(?:[/?]|$)/i.test(url);
}

/** Runs `stages` in order on one request, synchronously while they are. */
export function runStages(stages: readonly Stage[], req: IncomingMessage, res: ServerResponse): MaybePromise<void> {
  const url = req.url ?? '/';
  let done: MaybePromise<void> = undefined;
  for (const stage of stages) {
    if (stage.applies && !stage.applies(url)) continue;
    done = andThen(done, () => stage.run(req, res));
  }
  return done;
}

/** A stage as Express middleware: the one adapter, so no rule keeps an Express copy of itself. */
export function asMiddleware(stage: Stage): RequestHandler {
  return function runStage(req, res, next) {
    if (stage.applies && !stage.applies(req.url)) return next();
    return andThen(stage.run(req, res), () => next());
  };
}
