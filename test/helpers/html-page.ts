import type { Response } from 'supertest';
import type { VendorType } from '../../representations/media-types';
import type { Registry, ResourceName } from '../../representations/registry';
import { OTHER_SCHEMAS } from '../../representations/registry';

/** What Chrome sends when it navigates (Firefox and Safari send the same ranges without the images). */
export const CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text of HTML markup: tags dropped, the five entities the pages use decoded. */
export function textOf(markup: string): string {
  return markup.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ENTITIES[e]!);
}

/** The inner markup of the element with this id (the pages nest no element with the same tag inside it). */
export function elementById(html: string, id: string): string {
  const match = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  if (!match) throw new Error(`no element #${id} in the page`);
  return match[2]!;
}

/**
 * Asserts a browsable page and validates the JSON it shows against the schema of the
 * representation it names (or the problem schema): the HTML view's counterpart of expectValidBody.
 */
export function expectHtmlPage(registry: Registry, res: Response, resource?: ResourceName): { json: Record<string, unknown>; type: string; html: string } {
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers.vary).toMatch(/\bAccept\b/);
  const html = res.text;
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
  expect(html).not.toMatch(/\sstyle=|<style/); // no inline style
  const json = JSON.parse(textOf(elementById(html, 'json'))) as Record<string, unknown>;
  const type = resource === undefined ? 'problem' : textOf(elementById(html, 'shown-type'));
  const validate = resource === undefined ? registry.validator(OTHER_SCHEMAS.problem) : registry.resource(resource).get(type as VendorType).validate;
  if (!validate(json)) throw new Error(`the page's JSON does not match the ${type} schema: ${JSON.stringify(validate.errors)}`);
  return { json, type, html };
}
