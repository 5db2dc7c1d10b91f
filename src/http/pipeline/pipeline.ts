import type { ServerResponse } from 'node:http';
import type { Router } from 'express';
import { requestTargetLimit } from '../guards/limits';
import { varyOnNegotiation } from '../answer/negotiation/negotiate-request';
import type { Stage } from './stage';
import { isApi } from './stage';

/** A step of the pipeline: a stage every request takes, or a group of routes (Express routes them). */
export type Step = { stage: Stage } | { routes: Router; name: string };

/** The stages among `steps`, in order: what the dispatcher runs before a route of the last group. */
export function stagesOf(steps: readonly Step[]): Stage[] {
  return steps.flatMap((step) => ('stage' in step ? [step.stage] : []));
}

/** Every /api answer, a 401 before negotiation included, tells caches what it depends on (Origin too with CORS). */
export function apiVary(vary: string): Stage {
  return {
    name: '/api Vary',
    applies: isApi,
    run(_req, res: ServerResponse) {
      varyOnNegotiation(res, vary);
    },
  };
}

/**
 * THE order every request is answered in, on either path: Vary on /api; the request-target limit;
 * the service's own routes (health, metrics, the contract, the docs page); then, on /api,
 * authentication; the write limits; the read quota; the API routes; the short-link redirect. Security headers and
 * CORS come before all of it, in the listener (src/app.ts), so a preflight carries them too.
 * Express runs these steps in this order (createApp), and the dispatcher runs the same stages in
 * the same order before its hot routes (src/http/pipeline/dispatcher.ts).
 */
export function pipelineOf(parts: { service: Router[]; vary: string; authentication: Stage; writeLimits: Stage; readQuota: Stage; api: Router; redirect: Router }): Step[] {
  return [
    // Vary first: an /api answer refused for its size (414) varies like every other (Origin included).
    { stage: apiVary(parts.vary) },
    { stage: requestTargetLimit },
    ...parts.service.map((routes) => ({ routes, name: 'service' })),
    { stage: parts.authentication },
    { stage: parts.writeLimits },
    { stage: parts.readQuota },
    { routes: parts.api, name: 'api' },
    { routes: parts.redirect, name: 'redirect' },
  ];
}
