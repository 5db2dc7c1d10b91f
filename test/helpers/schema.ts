import type { Response } from 'supertest';
import { PROBLEM } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import type { Registry, ResourceName } from '../../representations/registry';
import { OTHER_SCHEMAS } from '../../representations/registry';
import { HTML_TYPE } from '../../src/http/answer/html/view';
import { expectHtmlPage } from './html-page';

/**
 * Validates a response body against its representation's schema: problem+json against the
 * problem schema, a vendor type against `resource`'s representation of that type, and a
 * bodiless status (204, 302, 304, HEAD) must have an empty body. Returns the parsed body.
 */
export function expectValidBody(registry: Registry, res: Response, resource?: ResourceName): Record<string, unknown> {
  const contentType = res.headers['content-type'] as string | undefined;
  if (res.status === 204 || res.status === 304 || res.status === 302 || (res as unknown as { req: { method: string } }).req.method === 'HEAD') {
    expect(res.text ?? '').toBe('');
    return {};
  }
  expect(contentType).toBeDefined();
  // A browsable page (rule 7): the JSON it shows is validated against the schema it names.
  if (contentType === HTML_TYPE) return expectHtmlPage(registry, res, res.status < 400 ? resource : undefined).json;
  const body = JSON.parse(res.text) as Record<string, unknown>;
  const validate = contentType === PROBLEM
    ? registry.validator(OTHER_SCHEMAS.problem)
    : registry.resource(resource ?? fail('a resource name is needed for a vendor body')).get(contentType as VendorType).validate;
  const ok = validate(body);
  if (!ok) throw new Error(`body does not match the ${contentType} schema: ${JSON.stringify(validate.errors)}\n${res.text}`);
  return body;
}

function fail(message: string): never {
  throw new Error(message);
}

/** Asserts a problem+json response with this status and code; returns the body. */
export function expectProblem(registry: Registry, res: Response, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM);
  const body = expectValidBody(registry, res);
  expect(body.status).toBe(status);
  expect(body.code).toBe(code);
  expect(res.text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|\/work\//);
  return body;
}
