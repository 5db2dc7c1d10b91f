import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import request from 'supertest';
import { SCHEMA_FILES } from '../../representations/registry';
import { loadDocument, operationsOf, SCHEMA_PREFIX } from '../openapi/document';
import { KEYS } from '../helpers/test-app';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { SEED, startPropertyApp } from './harness';
import type { PropertyApp } from './harness';
import { arbitraryOf, withStatedRules } from './schema-arbitrary';
import type { JsonSchema } from './schema-arbitrary';

/** Cases per documented request body. */
const RUNS = 150;

/**
 * Why the service may refuse a body its schema admits: the refusal's detail, and the words the
 * field's documented description must contain for the contract to have said so.
 */
const DOCUMENTED_REFUSALS: [detail: RegExp, stated: string][] = [
  [/must be in the future/, 'in the future'],
  [/not a representable date/, 'representable'],
  [/is reserved/, 'reserved'],
  [/must not point at this service/, 'this service'],
  [/must not contain credentials/, 'credentials'],
  [/spaces or control characters/, 'spaces'],
  [/must be an absolute URL/, 'absolute'],
  [/must name a (valid )?host/, 'with a host'],
  [/must be at most 2048 characters/, '2048'],
];

const doc = loadDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('iri', true); // as the registry declares it: an annotation

/**
 * Every documented request body of the links API: operation, media type, and its schema with the
 * rules openapi.yaml states. The sign-in bodies have their own property test (sign-in.property.test.ts).
 */
const bodies = operationsOf(doc).filter((op) => op.key.includes(' /api/links')).flatMap((op) => Object.entries(op.requestBody ?? {}).map(([type, media]) => {
  const { $ref, ...stated } = media.schema as { $ref: string } & JsonSchema;
  const schema = withStatedRules(SCHEMA_FILES[$ref.slice(SCHEMA_PREFIX.length)] as JsonSchema, stated);
  return { op: op.key, type, schema, admits: ajv.compile(schema) };
}));

let app: PropertyApp;
beforeAll(async () => { app = await startPropertyApp(); });
afterAll(async () => { await app.close(); });

let links = 0;

/** A fresh link of the demo user, for a PATCH to change. */
async function freshLink(): Promise<string> {
  links += 1;
  const code = `contract-${links}`;
  const res = await request(app.base).post('/api/links').set('Authorization', `Bearer ${KEYS.user}`)
    .set('Content-Type', 'application/json').send(JSON.stringify({ url: 'https://example.com/', code }));
  expect(res.status).toBe(201);
  return code;
}

describe('what the documented request schemas admit', () => {
  it('covers every documented request body', () => {
    expect(bodies.map((b) => `${b.op} ${b.type}`).sort()).toEqual([
      'PATCH /api/links/{code} application/json', 'PATCH /api/links/{code} application/merge-patch+json',
      'PATCH /api/links/{code} application/vnd.example.partner.v3+json', 'PATCH /api/links/{code} application/vnd.example.partner.v4+json',
      'POST /api/links application/json', 'POST /api/links application/vnd.example.partner.v3+json',
      'POST /api/links application/vnd.example.partner.v4+json',
    ]);
  });

  it.each(bodies.map((b) => [`${b.op} ${b.type}`, b] as const))('%s: the service accepts it, or the field\'s description says why not', async (_name, body) => {
    let n = 0;
    const statuses: Record<number, number> = {};
    await fc.assert(fc.asyncProperty(arbitraryOf(body.schema).filter((v) => body.admits(v)), async (value) => {
      n += 1;
      const path = body.op.startsWith('PATCH') ? `/api/links/${await freshLink()}` : '/api/links';
      const req = body.op.startsWith('PATCH') ? request(app.base).patch(path) : request(app.base).post(path);
      const res = await req.set('Authorization', `Bearer ${KEYS.user}`).set('Content-Type', body.type).send(JSON.stringify(value));
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 200 || res.status === 201) {
        expectValidBody(app.t.registry, res, 'link');
        return;
      }
      if (res.status === 409) {
        expect(body.schema.properties?.id?.description ?? body.schema.properties?.code?.description).toContain('taken');
        return;
      }
      const problem = expectProblem(app.t.registry, res, 422, 'validation-failed');
      for (const error of problem.errors as { pointer: string; detail: string }[]) {
        const field = body.schema.properties?.[error.pointer.slice(1)];
        const rule = DOCUMENTED_REFUSALS.find(([detail]) => detail.test(error.detail));
        if (!rule) throw new Error(`${JSON.stringify(value)} is admitted by the schema but refused for an undocumented reason: ${error.pointer} ${error.detail}`);
        expect({ pointer: error.pointer, states: field?.description?.includes(rule[1]) }).toEqual({ pointer: error.pointer, states: true });
      }
    }), { seed: SEED, numRuns: RUNS });
    process.stdout.write(`contract ${body.op} ${body.type}: ${JSON.stringify(statuses)}\n`);
    expect(n).toBeGreaterThanOrEqual(RUNS);
  }, 120_000);
});
