import fc from 'fast-check';
import request from 'supertest';
import { OTHER_SCHEMAS, SCHEMA_FILES } from '../../representations/registry';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { createTestApp } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { SEED } from './harness';
import { arbitraryOf } from './schema-arbitrary';
import type { JsonSchema } from './schema-arbitrary';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Cases per sign-in body. */
const RUNS = 60;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const schemaOf = (file: string) => SCHEMA_FILES[file] as JsonSchema;
const admitted = (file: string) => {
  const admits = ajv.compile(schemaOf(file));
  return arbitraryOf(schemaOf(file)).filter((v) => admits(v));
};

let t: TestApp;
// Limits high enough that generated sign-ins meet them only where a case asks for it.
beforeAll(async () => { t = await createTestApp({ config: { signIn: { failuresPerAccount: 1e6, failuresPerAddress: 1e6 } } }); });
afterAll(async () => { await t.close(); });

describe('what the documented sign-in bodies admit', () => {
  it('POST /api/accounts: every admitted body creates an account (201), or is a taken e-mail (409), or a password too short or long once NFKC-normalised (422)', async () => {
    const seen: Record<number, number> = {};
    await fc.assert(fc.asyncProperty(admitted(OTHER_SCHEMAS.accountCreate), async (body) => {
      const res = await request(t.app).post('/api/accounts').set('Content-Type', 'application/json').send(JSON.stringify(body));
      seen[res.status] = (seen[res.status] ?? 0) + 1;
      if (res.status === 201) expectValidBody(t.registry, res, 'me');
      else if (res.status === 409) expectProblem(t.registry, res, 409, 'email-taken');
      else {
        const problem = expectProblem(t.registry, res, 422, 'validation-failed');
        expect((problem.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/password']);
        expect(schemaOf(OTHER_SCHEMAS.accountCreate).properties?.password?.description).toContain('NFKC');
      }
      // The password never comes back (unless the name or e-mail, which do, happen to contain it).
      const { password, name, email } = body as { password: string; name: string; email: string };
      if (!name.includes(password) && !email.includes(password)) expect(res.text).not.toContain(password);
    }), { seed: SEED, numRuns: RUNS });
    process.stdout.write(`property sign-up: ${JSON.stringify(seen)}\n`);
    expect(seen[201]).toBeGreaterThan(0);
  }, 60_000);

  it.each(['/api/session', '/api/tokens'])('POST %s: every admitted body that is no account\'s answers the one invalid-credentials problem', async (path) => {
    const bodies: string[] = [];
    await fc.assert(fc.asyncProperty(admitted(OTHER_SCHEMAS.credentials), async (body) => {
      const res = await request(t.app).post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
      expectProblem(t.registry, res, 401, 'invalid-credentials');
      bodies.push(res.text);
    }), { seed: SEED, numRuns: RUNS });
    // The same bytes whatever was sent: nothing tells an unknown e-mail from a wrong password.
    expect(new Set(bodies).size).toBe(1);
  }, 60_000);
});
