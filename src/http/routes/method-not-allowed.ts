import type { RequestHandler } from 'express';
import { HttpError } from '../answer/problems';

/** Answers methods a route does not support: 204 with `Allow` for OPTIONS, else 405 (RFC 9110 §15.5.6). */
export function methodNotAllowed(methods: string): RequestHandler {
  const allow = `${methods}, OPTIONS`;
  return function otherMethods(req, res) {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    throw new HttpError('method-not-allowed', `${req.method} is not supported here; use ${methods}.`, { headers: { Allow: allow } });
  };
}
