import type { IncomingMessage } from 'node:http';
import { parse } from 'content-type';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from '../../domain/errors';
import { duplicateKey } from './json-keys';
import { checkJsonDepth } from '../guards/limits';
import { HttpError, validationFailed } from './problems';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Largest request body read, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Which JSON Schema validates a body of each accepted media type. */
export type BodyFormats<K extends string> = Record<string, { kind: K; validate: ValidateFunction }>;

/** The request's media type, lower-cased, without parameters; 415 if it cannot be read. */
function mediaTypeOf(req: IncomingMessage, accepted: string[]): string {
  const header = req.headers['content-type'];
  // Accept-Patch (RFC 5789 §3.1) or Accept-Post (W3C LDP) tells the client what would work.
  const advertise = req.method === 'PATCH' ? 'Accept-Patch' : 'Accept-Post';
  const unsupported = (detail: string) => new HttpError('unsupported-media-type', detail, { headers: { [advertise]: accepted.join(', ') } });
  if (header === undefined) throw unsupported(`Send a body with Content-Type: ${accepted.join(' or ')}.`);
  let parsed;
  try {
    parsed = parse(header);
  } catch {
    throw unsupported(`Content-Type "${header.slice(0, 100)}" is not a media type.`);
  }
  const charset = parsed.parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupported('JSON bodies must be UTF-8 (RFC 8259 §8.1).');
  }
  if (!accepted.includes(parsed.type)) {
    throw unsupported(`Content-Type ${parsed.type} is not accepted here; use ${accepted.join(' or ')}.`);
  }
  return parsed.type;
}

/** Turns ajv errors into field errors with JSON Pointers into the body. */
export function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => {
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const field = params.missingProperty ?? params.additionalProperty;
    const pointer = field === undefined ? e.instancePath || '/' : `${e.instancePath}/${field}`;
    const detail = params.additionalProperty !== undefined ? `unknown field ${params.additionalProperty}` : `${pointer} ${e.message ?? 'is invalid'}`;
    return { pointer, detail };
  });
}

/**
 * Reads a JSON body of one of the accepted media types and validates it against that type's
 * schema: 415 for another type, 400 for malformed JSON, 422 naming each bad field.
 * Expects `express.raw()` to have buffered the body (it answers 413 past the limit).
 */
export function readBody<K extends string>(req: IncomingMessage, formats: BodyFormats<K>): { kind: K; body: Record<string, unknown> } {
  const format = formats[mediaTypeOf(req, Object.keys(formats))]!;
  const raw: unknown = (req as IncomingMessage & { body?: unknown }).body;
  let text: string;
  try {
    // RFC 8259 §8.1: JSON is UTF-8; invalid bytes are refused, not replaced by U+FFFD and stored.
    text = Buffer.isBuffer(raw) ? UTF8.decode(raw) : '';
  } catch {
    throw new HttpError('malformed-json', 'The request body is not valid UTF-8.');
  }
  checkJsonDepth(text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError('malformed-json', 'The request body is not valid JSON.');
  }
  const twice = duplicateKey(text);
  if (twice !== null) throw new HttpError('malformed-json', `The request body names the member "${twice.slice(0, 80)}" twice in one object.`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('validation-failed', 'The request body must be a JSON object.', { errors: [{ pointer: '/', detail: 'must be an object' }] });
  }
  if (!format.validate(body)) {
    throw validationFailed(fieldErrors(format.validate.errors));
  }
  return { kind: format.kind, body: body as Record<string, unknown> };
}
