import type { IncomingMessage, ServerResponse } from 'node:http';
import { isReservedCode } from '../../domain/codes';
import type { AnswerFailure } from '../answer/error-handler';
import { andThen } from './maybe';
import { MAX_REQUEST_TARGET } from '../guards/limits';
import type { CompiledRoute } from './route';
import { runStages } from './stage';
import type { Stage } from './stage';
import { NO_ROUTE } from './request-log';
import type { RequestObserver } from './request-log';

/** What the dispatcher answers with: the pipeline's stages and the compiled routes Express mounts too. */
export interface FastPathDeps {
  card: CompiledRoute;
  dashboard: CompiledRoute;
  redirect: CompiledRoute;
  /** Every stage the pipeline runs before these routes, in its order (src/http/pipeline/pipeline.ts). */
  stages: readonly Stage[];
  observer: RequestObserver;
  answerFailure: AnswerFailure;
}

/** Answers a request and returns true, or returns false having touched nothing (Express answers it). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const CARD_PREFIX = '/api/links/';
const DASHBOARD = '/api/dashboard';
/** A path segment Express would hand to a route unchanged: no percent-decoding, no dot, no slash. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * A dispatcher in front of Express for the three hottest reads — the public card, the dashboard,
 * the redirect. It only routes: for a GET or HEAD of the canonical spelling of one of those paths
 * it runs the pipeline's stages, then the compiled route — the very functions Express runs for it,
 * in the same order — with the same failure answer and observer. Which way a request goes changes
 * no status, header, body, store read or limiter decision (test/http/pipeline/dispatcher.test.ts spies on
 * both). Any other spelling (`/c0de/`, `/c%30de`, `/API/…`), method or path is declined before
 * anything is written and goes to Express, whose router reaches the same route.
 *
 * Express's router costs tens of microseconds a request in matching ~20 layers and chaining
 * `next()`, more than everything these answers need.
 */
export function createFastPath(deps: FastPathDeps): FastPath {
  const { card, dashboard, redirect, stages, observer, answerFailure } = deps;

  function run(route: CompiledRoute, req: IncomingMessage, res: ServerResponse, params: Record<string, string>, path: string): void {
    const started = performance.now();
    let label = NO_ROUTE; // as Express labels an answer given before the route (a 401)
    const done = () => observer.answered(req, res, label, started);
    const failed = (err: unknown) => {
      answerFailure(req, res, err, path);
      done();
    };
    try {
      const answered = andThen(runStages(stages, req, res), () => {
        label = route.record.path;
        return route.run(req, res, params);
      });
      if (answered instanceof Promise) answered.then(done, failed);
      else done();
    } catch (err) {
      failed(err);
    }
  }

  return function fastPath(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    if (url.length > MAX_REQUEST_TARGET) return false;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path.startsWith('/api/')) {
      if (path === DASHBOARD) {
        run(dashboard, req, res, {}, path);
        return true;
      }
      const code = path.slice(CARD_PREFIX.length);
      if (!path.startsWith(CARD_PREFIX) || !PLAIN_SEGMENT.test(code)) return false;
      run(card, req, res, { code }, path);
      return true;
    }
    const code = path.slice(1);
    // Reserved words are the paths the service answers itself (/healthz, /docs, …): Express's.
    if (!PLAIN_SEGMENT.test(code) || isReservedCode(code)) return false;
    run(redirect, req, res, { code }, path);
    return true;
  };
}
