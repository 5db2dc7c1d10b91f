import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import type { Response } from 'supertest';
import { parse as parseYaml } from 'yaml';
import packageJson from '../../package.json';
import { PARTNER_V3, PARTNER_V4, PROBLEM, SUMMARY } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { buildRegistry, DEFINITIONS, OTHER_SCHEMAS, SCHEMA_FILES, takesFields } from '../../representations/registry';
import { sparseFileOf, SPARSE_SUFFIX } from '../../representations/sparse';
import { LINK_CREATE_FORMATS, LINK_UPDATE_FORMATS } from '../../representations/link-input/formats';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS } from '../../src/http/guards/cors';
import { PROBLEM_TYPE_BASE, PROBLEMS } from '../../src/http/answer/problems';
import { createTestApp } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { allRefs, examplesOf, loadDocument, OPENAPI_FILE, operationsOf, resolveRef, responseContents, SCHEMA_PREFIX, schemaRefsOf } from './document';
import type { MediaTypeObject, ResponseObject } from './document';
import { kindOf, PROBES, SAMPLE_URLS, send, SPARSE_PROBES } from './probes';

const FORM = 'application/x-www-form-urlencoded';

/** What the routers in src/http/routes/ answer (every GET also answers HEAD). */
const IMPLEMENTED = [
  'GET /{code}',
  'GET /api/links',
  'POST /api/links',
  'GET /api/links/{code}',
  'PATCH /api/links/{code}',
  'DELETE /api/links/{code}',
  'GET /api/links/{code}/stats',
  'GET /api/me',
  'GET /api/teams/{id}',
  'GET /api/dashboard',
  'POST /api/accounts',
  'GET /api/session',
  'POST /api/session',
  'DELETE /api/session',
  'POST /api/tokens',
  'POST /api/me/password',
  'POST /oauth/token',
  'POST /oauth/revoke',
  'GET /openapi.yaml',
  'GET /representations/{folder}/{file}',
  'GET /metrics',
  'GET /docs',
  'GET /healthz',
  'GET /readyz',
];

/** The body types the routes validate, and the schema of each. */
const REQUEST_BODIES: Record<string, Record<string, string>> = {
  'POST /api/links': {
    'application/json': OTHER_SCHEMAS.linkCreate,
    'application/vnd.example.partner.v3+json': OTHER_SCHEMAS.linkPartnerV3Create,
    'application/vnd.example.partner.v4+json': OTHER_SCHEMAS.linkPartnerV4Create,
  },
  'PATCH /api/links/{code}': {
    'application/json': OTHER_SCHEMAS.linkUpdate,
    'application/merge-patch+json': OTHER_SCHEMAS.linkUpdate,
    'application/vnd.example.partner.v3+json': OTHER_SCHEMAS.linkPartnerV3Update,
    'application/vnd.example.partner.v4+json': OTHER_SCHEMAS.linkPartnerV4Update,
  },
  'POST /api/accounts': { 'application/json': OTHER_SCHEMAS.accountCreate },
  'POST /api/session': { 'application/json': OTHER_SCHEMAS.credentials },
  'POST /api/tokens': { 'application/json': OTHER_SCHEMAS.credentials },
  'POST /api/me/password': { 'application/json': OTHER_SCHEMAS.passwordChange },
  // Form bodies are parsed, not validated by ajv: their schema files describe them for readers.
  'POST /oauth/token': { [FORM]: 'sign-in/token-request.schema.json' },
  'POST /oauth/revoke': { [FORM]: 'sign-in/revoke-request.schema.json' },
};

/** The OAuth endpoints answer their 400s as RFC 6749 §5.2 error objects, not problems. */
const OAUTH_ERRORS = ['POST /oauth/token 400', 'POST /oauth/revoke 400'];

/** The credentials a private operation takes, any one of them (RFC 6750 bearer tokens, the web session's cookie). */
const PRIVATE_SECURITY = [{ sessionCookie: [] }, { accessToken: [] }, { apiKey: [] }];
/** Operations that read no credential at all. */
const OPEN_OPERATIONS = ['GET /{code}', 'POST /api/accounts', 'POST /api/session', 'POST /api/tokens', 'POST /oauth/token', 'POST /oauth/revoke'];
/** Operations only the web session's cookie authenticates. */
const SESSION_OPERATIONS = ['GET /api/session', 'DELETE /api/session'];
const UNSAFE = /^(POST|PUT|PATCH|DELETE) \/api\//;

const NEGOTIATED_HEADERS = ['Vary', 'ETag', 'Link', 'Cache-Control'];
const VENDOR = /^application\/vnd\.example\./;
const doc = loadDocument();
const registry = buildRegistry();
const operations = operationsOf(doc);
const contents = responseContents(doc);
const representations = Object.entries(DEFINITIONS).flatMap(([resource, defs]) =>
  defs.map((def) => ({ resource, type: def.type as string, ref: SCHEMA_PREFIX + def.schema })));
const schemaFileOf = (ref: string) => ref.slice(SCHEMA_PREFIX.length);
const refsOf = (content: Record<string, MediaTypeObject>) =>
  Object.fromEntries(Object.entries(content).map(([type, media]) => [type, schemaRefsOf(media)[0]]));

/** Each path's `options` and `trace` operations document OPTIONS and the methods it does not support; the rest are its routes. */
const METHOD_OPERATION = /^(OPTIONS|TRACE) /;
const routeOperations = operations.filter((op) => !METHOD_OPERATION.test(op.key));
const pathOf = (key: string) => key.slice(key.indexOf(' ') + 1);
const methodOf = (key: string) => key.slice(0, key.indexOf(' '));
/** The operations that take `?fields=`. */
const SELECTABLE_OPERATIONS = ['GET /api/links', 'GET /api/links/{code}', 'GET /api/links/{code}/stats', 'GET /api/me', 'GET /api/teams/{id}', 'GET /api/dashboard'];

/** The methods a path's `Allow` names: those its operations list but `trace`, HEAD with GET, and OPTIONS. */
function allowOf(path: string): string[] {
  const listed = operations.filter((op) => pathOf(op.key) === path && methodOf(op.key) !== 'TRACE').map((op) => methodOf(op.key));
  return [...listed, ...(listed.includes('GET') ? ['HEAD'] : [])].sort();
}
const allowed = (res: Response) => String(res.headers.allow ?? '').split(/, */).filter((m) => m !== '').sort();

/**
 * Validates with a schema of openapi.yaml as an OpenAPI-validating proxy does (ajv, draft 2020-12):
 * its `$ref`s to schema files resolve against the document's URL, where the service serves them.
 */
const DOCUMENT_BASE = 'https://facet.example/';
const documentAjv = new Ajv2020({ strict: false, allErrors: true });
addFormats(documentAjv);
documentAjv.addFormat('iri', true);
for (const [file, schema] of Object.entries(SCHEMA_FILES)) documentAjv.addSchema(schema, DOCUMENT_BASE + SCHEMA_PREFIX + file);
const documentValidators = new Map<string, ValidateFunction>();
function documentValidator(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = documentValidators.get(key);
  if (!validate) {
    validate = documentAjv.compile({ ...schema, $id: `${DOCUMENT_BASE}openapi-schema-${documentValidators.size}` });
    documentValidators.set(key, validate);
  }
  return validate;
}

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.1.0 document for Facet at the package version with the session cookie, access token and API key schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Facet');
    expect(doc.info.version).toBe(packageJson.version);
    expect(doc.servers).toEqual([{ url: 'http://localhost:3000', description: expect.any(String) }]);
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: '__Host-facet_session' });
    expect(doc.components.securitySchemes.accessToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: expect.stringContaining('fct_at_') });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('declares security on every operation, naming only schemes it defines', () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    expect(operations.filter((op) => op.security === undefined).map((op) => op.key)).toEqual([]);
    const unknown = operations.flatMap((op) => (op.security ?? []).flatMap((req) => Object.keys(req).filter((name) => !schemes.includes(name)).map((name) => `${op.key} ${name}`)));
    expect(unknown).toEqual([]);
  });

  it('takes the session cookie, an access token or an API key on every private /api operation, and no credential on the open ones', () => {
    for (const op of operations.filter((o) => / \/api\//.test(o.key))) {
      const expected = OPEN_OPERATIONS.includes(op.key) || METHOD_OPERATION.test(op.key) ? []
        : SESSION_OPERATIONS.includes(op.key) ? [{ sessionCookie: [] }]
          : op.key === 'GET /api/links/{code}' ? [{}, { apiKey: [] }, { accessToken: [] }]
            : PRIVATE_SECURITY;
      expect({ key: op.key, security: op.security }).toEqual({ key: op.key, security: expected });
    }
    for (const key of OPEN_OPERATIONS) expect({ key, security: operations.find((op) => op.key === key)?.security }).toEqual({ key, security: [] });
  });

  it('takes X-CSRF-Token on every unsafe /api operation', () => {
    const unsafe = operations.filter((op) => UNSAFE.test(op.key));
    expect(unsafe.length).toBeGreaterThan(5);
    expect(unsafe.filter((op) => !op.parameters.includes('header:X-CSRF-Token')).map((op) => op.key)).toEqual([]);
  });

  it('resolves every local reference', () => {
    const local = allRefs(doc).filter((ref) => ref.startsWith('#/'));
    expect(local.length).toBeGreaterThan(0);
    for (const ref of local) expect(() => resolveRef(doc, ref)).not.toThrow();
  });

  it('documents exactly the operations the routers implement', () => {
    expect(routeOperations.map((op) => op.key).sort()).toEqual([...IMPLEMENTED].sort());
  });

  it('documents OPTIONS and the methods it does not support on every path: 204 with Allow (on /api a CORS preflight too) and a 405 MethodNotAllowed with Allow; 404 on /{code}', () => {
    const responses = (method: string, path: string) => Object.fromEntries(Object.entries((doc.paths[path]?.[method] as { responses?: Record<string, { $ref?: string }> } | undefined)?.responses ?? {})
      .map(([status, r]) => [status, r.$ref?.replace('#/components/responses/', '')]));
    const door = { '414': 'UriTooLong', '431': 'RequestHeaderFieldsTooLarge' };
    const api = { '401': 'Unauthorized', '503': 'ServiceUnavailable' };
    for (const path of Object.keys(doc.paths)) {
      const kind = kindOf(path);
      const expected = kind === 'short-link' ? { options: { '404': 'NotFound', ...door }, trace: { '404': 'NotFound', ...door } }
        : kind === 'api' ? { options: { '204': 'ApiOptions', ...api, ...door }, trace: { '405': 'MethodNotAllowed', ...api, ...door } }
          : { options: { '204': 'Options', ...door }, trace: { '405': 'MethodNotAllowed', ...door } };
      expect({ path, options: responses('options', path), trace: responses('trace', path) }).toEqual({ path, ...expected });
    }
    const named = (name: string) => resolveRef(doc, `#/components/responses/${name}`) as ResponseObject;
    const header = (name: string) => resolveRef(doc, `#/components/headers/${name}`) as { required?: boolean; schema: { const?: string } };
    expect(named('MethodNotAllowed').headers?.Allow).toEqual({ $ref: '#/components/headers/Allow' });
    expect(named('Options').headers?.Allow).toEqual({ $ref: '#/components/headers/Allow' });
    expect(header('Allow').required).toBe(true);
    // A preflight carries no Allow, so on /api it is documented but not required.
    expect((named('ApiOptions').headers?.Allow as { required?: boolean }).required).toBe(false);
    expect(Object.keys(named('ApiOptions').headers ?? {})).toEqual(expect.arrayContaining(['Vary', 'Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Max-Age']));
    expect([header('AccessControlAllowMethods').schema.const, header('AccessControlAllowHeaders').schema.const, header('AccessControlMaxAge').schema.const])
      .toEqual([CORS_METHODS, CORS_ALLOWED_HEADERS, String(CORS_MAX_AGE_SECONDS)]);
  });

  it('names every folder of schema files, and no other, as a folder it serves schemas from', () => {
    const folders = [...new Set(Object.keys(SCHEMA_FILES).map((file) => file.split('/')[0]))].sort();
    const parameters = (doc.paths['/representations/{folder}/{file}'] as unknown as { parameters: { name: string; schema: { enum?: string[] } }[] }).parameters;
    expect([...(parameters.find((p) => p.name === 'folder')?.schema.enum ?? [])].sort()).toEqual(folders);
  });
});

describe('openapi.yaml and the representation registry', () => {
  it('documents every registry representation as a response of its media type with its schema', () => {
    const missing = representations.filter((rep) => !contents.some((c) => c.mediaType === rep.type && c.schemaRef === rep.ref));
    expect(missing).toEqual([]);
  });

  it('offers every representation of a resource wherever it offers one of them', () => {
    const negotiated = contents.filter((c) => VENDOR.test(c.mediaType));
    expect(negotiated.length).toBeGreaterThan(0);
    for (const c of negotiated) {
      const resource = representations.find((rep) => rep.ref === c.schemaRef)?.resource;
      const expected = Object.fromEntries(representations.filter((rep) => rep.resource === resource).map((rep) => [rep.type, rep.ref]));
      expect({ where: c.where, content: refsOf(c.siblings) }).toEqual({ where: c.where, content: expected });
    }
  });

  it('uses each vendor media type in a response only with a schema the registry lists for that type', () => {
    const strays = contents
      .filter((c) => VENDOR.test(c.mediaType))
      .filter((c) => !representations.some((rep) => rep.type === c.mediaType && rep.ref === c.schemaRef))
      .map((c) => `${c.where} ${c.mediaType} → ${c.schemaRef}`);
    expect(strays).toEqual([]);
  });

  it('declares the 200 of every operation that takes fields anyOf the schema and the sparse schema of each summary and full representation, partner.v3 and partner.v4 whole', () => {
    const selectable = routeOperations.filter((op) => op.parameters.includes('query:fields'));
    expect(selectable.map((op) => op.key).sort()).toEqual([...SELECTABLE_OPERATIONS].sort());
    for (const op of selectable) {
      // The browsable page (text/html) is a string whatever the selection: only the JSON entries are schema files.
      const content = Object.fromEntries(Object.entries(op.responses['200']?.content ?? {}).filter(([type]) => type !== 'text/html'));
      const declared = Object.fromEntries(Object.entries(content).map(([type, media]) => [type, media.schema]));
      const expected = Object.fromEntries(Object.entries(content).map(([type, media]) => {
        const whole = schemaRefsOf(media)[0]!;
        const sparse = SCHEMA_PREFIX + sparseFileOf(schemaFileOf(whole));
        return [type, takesFields({ type: type as VendorType }) ? { anyOf: [{ $ref: whole }, { $ref: sparse }] } : { $ref: whole }];
      }));
      expect({ op: op.key, declared }).toEqual({ op: op.key, declared: expected });
    }
    expect(selectable.filter((op) => PARTNER_V3 in (op.responses['200']?.content ?? {})).length).toBeGreaterThan(0);
    expect(selectable.filter((op) => PARTNER_V4 in (op.responses['200']?.content ?? {})).length).toBeGreaterThan(0);
  });

  it('names a sparse schema only on the 200 of an operation that takes fields', () => {
    const sparse = contents.filter((c) => allRefs(c.siblings[c.mediaType]).some((ref) => ref.endsWith(SPARSE_SUFFIX))).map((c) => c.where);
    expect(sparse.length).toBe(SELECTABLE_OPERATIONS.length * 2);
    expect([...new Set(sparse)].sort()).toEqual(SELECTABLE_OPERATIONS.map((key) => `${key} 200`).sort());
  });

  it('accepts a whole and a sparse answer under anyOf, which oneOf or the whole schema alone would refuse, and still refuses what neither schema admits', () => {
    const card = contents.find((c) => c.where === 'GET /api/links/{code} 200' && c.mediaType === SUMMARY)!;
    const declared = documentValidator(card.siblings[SUMMARY]!.schema!);
    const oneOf = documentValidator({ oneOf: card.siblings[SUMMARY]!.schema!.anyOf });
    const wholeOnly = documentValidator({ $ref: card.schemaRef });
    const whole = card.example;
    const sparse = { code: 'facet', clicks: 83 };
    expect({ declared: [declared(whole), declared(sparse)], oneOf: [oneOf(whole), oneOf(sparse)], wholeOnly: [wholeOnly(whole), wholeOnly(sparse)] })
      .toEqual({ declared: [true, true], oneOf: [false, true], wholeOnly: [true, false] });
    expect([declared({ code: 42 }), declared({ ...sparse, secret: 'x' }), declared({ shortUrl: 'not a URL' }), declared([])]).toEqual([false, false, false, false]);
  });

  it('refers to no schema file outside the registry, and to no other external document', () => {
    const external = allRefs(doc).filter((ref) => !ref.startsWith('#/'));
    expect(external.filter((ref) => !ref.startsWith(SCHEMA_PREFIX))).toEqual([]);
    expect(external.map(schemaFileOf).filter((file) => !(file in SCHEMA_FILES))).toEqual([]);
  });

  it('references every schema file the registry holds', () => {
    const referenced = new Set(allRefs(doc).filter((ref) => ref.startsWith(SCHEMA_PREFIX)).map(schemaFileOf));
    expect(Object.keys(SCHEMA_FILES).filter((file) => !referenced.has(file))).toEqual([]);
  });

  it('accepts on POST and PATCH exactly the body types the routes validate, each with its schema', () => {
    for (const [key, formats] of Object.entries(REQUEST_BODIES)) {
      const body = operations.find((op) => op.key === key)?.requestBody ?? {};
      const expected = Object.fromEntries(Object.entries(formats).map(([type, file]) => [type, SCHEMA_PREFIX + file]));
      expect({ key, content: refsOf(body) }).toEqual({ key, content: expected });
    }
    expect(operations.filter((op) => op.requestBody).map((op) => op.key).sort()).toEqual(Object.keys(REQUEST_BODIES).sort());
  });

  it('lists as the link writes\' body types exactly those the routes read (link-input/formats.ts), each with its schema', () => {
    const schemasOf = (formats: Readonly<Record<string, { schema: string }>>) => Object.fromEntries(Object.entries(formats).map(([type, f]) => [type, f.schema]));
    expect(schemasOf(LINK_CREATE_FORMATS)).toEqual(REQUEST_BODIES['POST /api/links']);
    expect(schemasOf(LINK_UPDATE_FORMATS)).toEqual(REQUEST_BODIES['PATCH /api/links/{code}']);
  });

  it('answers every error with problem+json and the problem schema, but the OAuth 400s with the OAuth error object', () => {
    const errors = operations.flatMap((op) => Object.entries(op.responses).filter(([status]) => Number(status) >= 400).map(([status, r]) => ({ where: `${op.key} ${status}`, content: refsOf(r.content ?? {}) })));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      const expected = OAUTH_ERRORS.includes(e.where) ? { 'application/json': SCHEMA_PREFIX + OTHER_SCHEMAS.oauthError } : { [PROBLEM]: SCHEMA_PREFIX + OTHER_SCHEMAS.problem };
      expect(e).toEqual({ where: e.where, content: expected });
    }
    expect(errors.filter((e) => OAUTH_ERRORS.includes(e.where)).map((e) => e.where).sort()).toEqual([...OAUTH_ERRORS].sort());
  });

  it('documents Vary with Cookie on every private negotiated answer, and without it on the public card', () => {
    const negotiated = contents.filter((c) => VENDOR.test(c.mediaType) && (c.status === 200 || c.status === 201));
    for (const c of negotiated) {
      const spellings = (c.headers.Vary?.schema?.examples ?? []) as string[];
      const varies = spellings.length > 0 && spellings.every((v) => v.split(/, */).includes('Cookie'));
      expect({ where: c.where, variesOnCookie: varies }).toEqual({ where: c.where, variesOnCookie: c.where !== 'GET /api/links/{code} 200' });
    }
  });

  it('documents the problems of signing in, each with its status', () => {
    const problems = contents.filter((c) => c.mediaType === PROBLEM).flatMap((c) => c.examples.map((e) => `${(e as { code: string }).code} ${c.status}`));
    for (const expected of ['invalid-credentials 401', 'unauthorized 401', 'invalid-key 401', 'invalid-token 401', 'csrf-rejected 403', 'insufficient-scope 403', 'email-taken 409', 'rate-limited 429']) {
      expect(problems).toContain(expected);
    }
  });

  it('documents Vary, ETag, Link and Cache-Control on every negotiated 200 and 201, and Location on a 201', () => {
    const negotiated = contents.filter((c) => VENDOR.test(c.mediaType) && (c.status === 200 || c.status === 201));
    expect(negotiated.length).toBeGreaterThan(0);
    for (const c of negotiated) {
      const expected = c.status === 201 ? [...NEGOTIATED_HEADERS, 'Location'] : NEGOTIATED_HEADERS;
      expect({ where: c.where, headers: Object.keys(c.headers) }).toEqual({ where: c.where, headers: expect.arrayContaining(expected) });
    }
  });

  it('gives examples that validate against their schemas', () => {
    const examples: { where: string; file: string; example: unknown }[] = [
      ...contents.flatMap((c) => c.examples.map((example) => ({ where: `${c.where} ${c.mediaType}`, file: c.schemaRef ?? '', example }))),
      ...operations.flatMap((op) => Object.entries(op.requestBody ?? {}).flatMap(([type, media]) => examplesOf(media).map((example) => ({ where: `${op.key} body ${type}`, file: media.schema?.$ref ?? '', example })))),
    ].filter((e) => e.example !== undefined && e.file.startsWith(SCHEMA_PREFIX));
    expect(examples.length).toBeGreaterThan(10);
    for (const e of examples) {
      const validate = registry.validator(schemaFileOf(e.file));
      expect({ where: e.where, valid: validate(e.example), errors: validate.errors ?? null }).toEqual({ where: e.where, valid: true, errors: null });
    }
  });

  it('gives problem examples that agree with the problem catalogue and their status', () => {
    const problems = contents.filter((c) => c.mediaType === PROBLEM).flatMap((c) => c.examples.map((example) => ({ where: c.where, status: c.status, example })));
    expect(problems.length).toBeGreaterThan(0);
    for (const { where, status, example: given } of problems) {
      const example = given as { type: string; title: string; status: number; code: keyof typeof PROBLEMS };
      expect({ where, example: { type: example.type, title: example.title, status: example.status } }).toEqual({
        where,
        example: { type: PROBLEM_TYPE_BASE + example.code, title: PROBLEMS[example.code]?.title, status },
      });
    }
  });
});

describe('the running app against openapi.yaml', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('serves openapi.yaml byte for byte as application/yaml', async () => {
    const res = await send(request(t.app).get('/openapi.yaml'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/yaml');
    expect(Buffer.compare(res.body as Buffer, fs.readFileSync(OPENAPI_FILE))).toBe(0);
  });

  it('serves the schema files it references at the same relative path, starting with the link summary', async () => {
    const res = await send(request(t.app).get('/representations/link/summary.schema.json'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/schema+json');
    expect(JSON.parse((res.body as Buffer).toString('utf8'))).toEqual(SCHEMA_FILES['link/summary.schema.json']);
    for (const file of Object.keys(SCHEMA_FILES)) {
      const each = await send(request(t.app).get(`/representations/${file}`));
      expect({ file, status: each.status }).toEqual({ file, status: 200 });
    }
  });

  it('has a probe for every documented response of every operation', () => {
    const documented = operations.flatMap((op) => Object.keys(op.responses).map((status) => `${op.key} ${status}`));
    const probed = new Set(PROBES.map((p) => `${p.op} ${p.status}`));
    expect(documented.filter((d) => !probed.has(d))).toEqual([]);
  });

  /** Checks an answer against the documented response of `key` with its status: required headers, documented header values, body. */
  function expectAsDocumented(key: string, res: Response): void {
    const response = operations.find((op) => op.key === key)?.responses[String(res.status)];
    expect({ key, status: res.status, documented: response !== undefined }).toEqual({ key, status: res.status, documented: true });
    const bytes = Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0);
    const required = Object.entries(response?.headers ?? {}).filter(([, h]) => h.required).map(([name]) => name.toLowerCase());
    expect(required.filter((name) => res.headers[name] === undefined)).toEqual([]);
    if (METHOD_OPERATION.test(key)) {
      // The answers to OPTIONS and to unsupported methods: Allow names the path's methods, and every
      // header they document holds to its schema.
      if (res.headers.allow !== undefined) expect({ key, allow: allowed(res) }).toEqual({ key, allow: allowOf(pathOf(key)) });
      const wrong = Object.entries(response?.headers ?? {})
        .filter(([name, h]) => res.headers[name.toLowerCase()] !== undefined && h.schema && !documentValidator(h.schema)(String(res.headers[name.toLowerCase()])))
        .map(([name]) => `${name}: ${String(res.headers[name.toLowerCase()])}`);
      expect(wrong).toEqual([]);
    }
    if (!response?.content || (res as unknown as { req: { method: string } }).req.method === 'HEAD') {
      expect(bytes.length).toBe(0);
      return;
    }
    const contentType = res.headers['content-type'] as string;
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    expect(Object.keys(response.content)).toContain(mediaType);
    if (VENDOR.test(mediaType) || mediaType === PROBLEM) expect(contentType).toBe(mediaType);
    const validate = documentValidator(response.content[mediaType]?.schema ?? {});
    // Text bodies (metrics, the docs page) are validated as strings, YAML by its data model; everything else is JSON.
    const text = bytes.toString('utf8');
    // A 206 is a part of the document, as bytes: its schema describes it as a string.
    const partial = res.status === 206;
    const body: unknown = partial || mediaType.startsWith('text/') ? text : mediaType === 'application/yaml' ? parseYaml(text) : JSON.parse(text);
    expect({ valid: validate(body), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  }

  it.each(PROBES)('$op answers $status $when, as openapi.yaml documents', async (probe) => {
    const res = await probe.run(t.app);
    expect(res.status).toBe(probe.status);
    expectAsDocumented(probe.op, res);
    if (probe.headers) {
      const carried = Object.fromEntries(Object.keys(probe.headers).map((name) => [name, (res.headers[name] as string | undefined) ?? null]));
      expect(carried).toEqual(probe.headers);
    }
  });

  it.each(SPARSE_PROBES)('$op answers $status $when: not the whole schema (it leaves required members out), but the declared sparse one', async (probe) => {
    const res = await probe.run(t.app);
    expect(res.status).toBe(200);
    const contentType = res.headers['content-type'] as string;
    const declared = operations.find((op) => op.key === probe.op)!.responses['200']!.content![contentType]!;
    const [whole, sparse] = schemaRefsOf(declared);
    const body: unknown = JSON.parse((res.body as Buffer).toString('utf8'));
    expect([registry.validator(schemaFileOf(whole!))(body), registry.validator(schemaFileOf(sparse!))(body), documentValidator(declared.schema!)(body)]).toEqual([false, true, true]);
  });

  it('has a URL for every documented path', () => {
    expect(Object.keys(SAMPLE_URLS).sort()).toEqual(Object.keys(doc.paths).sort());
  });

  it.each(Object.keys(doc.paths))('answers OPTIONS on %s, and every method it does not list, as its options and trace operations document', async (path) => {
    const url = SAMPLE_URLS[path]!;
    const allow = allowOf(path);
    const shortLink = kindOf(path) === 'short-link';
    const options = await send(request(t.app).options(url));
    expect(options.status).toBe(shortLink ? 404 : 204);
    expectAsDocumented(`OPTIONS ${path}`, options);
    if (!shortLink) expect({ path, allow: allowed(options) }).toEqual({ path, allow });
    const others = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'].filter((method) => !allow.includes(method));
    expect(others).toEqual(expect.arrayContaining(['PUT', 'TRACE']));
    for (const method of others) {
      const res = await send(request(t.app)[method.toLowerCase() as 'get'](url));
      expect({ method, status: res.status }).toEqual({ method, status: shortLink ? 404 : 405 });
      // Every method a path does not list is answered as its trace operation documents.
      expectAsDocumented(`TRACE ${path}`, res);
      if (!shortLink) expect({ method, allow: allowed(res) }).toEqual({ method, allow });
    }
  });
});
