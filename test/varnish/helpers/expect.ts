import { PROBLEM } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import { buildRegistry, OTHER_SCHEMAS } from '../../../representations/registry';
import type { ResourceName } from '../../../representations/registry';
import { elementById, textOf } from '../../helpers/html-page';
import type { Reply } from './http';
import { VIEW_CONTENT_TYPE } from './view-corpus';

/** The service's registry: offers and schemas. */
export const registry = buildRegistry();

/** Asserts a 200 in `type` whose body matches that representation's schema; returns the body. */
export function expectRepresentation(res: Reply, type: VendorType, resource: ResourceName): Record<string, unknown> {
  expect([res.status, res.headers['content-type'], res.body.slice(0, 1)]).toEqual([200, type, '{']);
  return expectBody(res, resource);
}

/** Asserts a 200 of the HTML view (rule 7) showing `type`, whose JSON matches that representation's schema; returns the JSON shown. */
export function expectView(res: Reply, type: string, resource: ResourceName): Record<string, unknown> {
  expect([res.status, res.headers['content-type'], res.body.slice(0, 15).toLowerCase()]).toEqual([200, VIEW_CONTENT_TYPE, '<!doctype html>']);
  expect(textOf(elementById(res.body, 'shown-type'))).toBe(type);
  const validate = registry.resource(resource).get(type as VendorType).validate;
  const json = JSON.parse(textOf(elementById(res.body, 'json'))) as Record<string, unknown>;
  if (!validate(json)) throw new Error(`the page's JSON does not match the ${type} schema: ${JSON.stringify(validate.errors)}`);
  return json;
}

/** Asserts a problem+json error with this status, valid against the problem schema. */
export function expectProblemStatus(res: Reply, status: number): void {
  expect([res.status, res.headers['content-type']]).toEqual([status, PROBLEM]);
  expect(expectBody(res, 'link').status).toBe(status);
}

/** Validates a body against the schema its Content-Type names; a 204, a 304 and a HEAD answer must have none. */
export function expectBody(res: Reply, resource: ResourceName, method = 'GET'): Record<string, unknown> {
  if (res.status === 204 || res.status === 304 || method === 'HEAD') {
    expect(res.body).toBe('');
    return {};
  }
  const type = res.headers['content-type'];
  const validate = type === PROBLEM ? registry.validator(OTHER_SCHEMAS.problem) : registry.resource(resource).get(type as VendorType).validate;
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (!validate(body)) throw new Error(`body does not match the ${type} schema: ${JSON.stringify(validate.errors)}\n${res.body}`);
  return body;
}
