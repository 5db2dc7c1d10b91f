import request from 'supertest';
import type { Response } from 'supertest';
import { FULL, SUMMARY } from '../../../representations/media-types';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { createTestApp } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { expectNegotiatedVary, varyOf } from '../http-expect';
import { ADA, freshEmail, postSession, signIn } from './sign-in-helpers';

const logged: string[] = [];
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ log: (message, err) => logged.push(`${message} ${String(err)} ${JSON.stringify(err)}`) }); });
afterAll(async () => { await t.close(); });

/** Every password a test sent: none may show in an answer or a log line. */
const sentPasswords = new Set<string>();

/** POST /api/accounts with a JSON body; asserts no password sent so far shows in the answer. */
async function createAccount(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  if (typeof body.password === 'string') sentPasswords.add(body.password);
  const res = await request(t.app).post('/api/accounts').set('Content-Type', 'application/json').set(headers).send(JSON.stringify(body));
  expectNoPasswordIn(res);
  return res;
}

function expectNoPasswordIn(res: Response): void {
  const seen = `${JSON.stringify(res.headers)}\n${res.text ?? ''}`;
  for (const password of sentPasswords) expect(seen).not.toContain(password);
}

const account = (fields: Record<string, unknown> = {}) => ({ email: freshEmail('new'), password: 'correct horse battery', name: 'Lin Clark', ...fields });

describe('POST /api/accounts', () => {
  it('answers 201 with Location /api/me, the full me by default and Cache-Control no-store', async () => {
    const input = account();
    const res = await createAccount(input);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/me');
    expect(res.headers['content-type']).toBe(FULL);
    expect(res.headers['cache-control']).toBe('no-store');
    expectNegotiatedVary(res);
    expect(varyOf(res)).toContain('cookie');
    const body = expectValidBody(t.registry, res, 'me');
    expect(body).toMatchObject({ name: 'Lin Clark', email: input.email, keyKind: 'user', teams: [] });
    expect(body.id).toMatch(/^usr_/);
  });

  it('answers the summary when Accept asks for it', async () => {
    const res = await createAccount(account(), { Accept: SUMMARY });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(SUMMARY);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(expectValidBody(t.registry, res, 'me')).toMatchObject({ name: 'Lin Clark' });
  });

  it('lets the new user sign in with the password chosen, under the id it was given', async () => {
    const input = account();
    const created = expectValidBody(t.registry, await createAccount(input), 'me');
    const session = await signIn(t, input);
    expect(session.body.user).toEqual({ id: created.id, name: 'Lin Clark', email: input.email });
  });

  it('stores the e-mail lower-cased, so the account signs in whatever the case of its address', async () => {
    const email = freshEmail('Mixed.Case');
    const res = await createAccount(account({ email: email.toUpperCase() }));
    expect(res.status).toBe(201);
    expect(expectValidBody(t.registry, res, 'me').email).toBe(email.toLowerCase());
    const session = await signIn(t, { email: email.toLowerCase(), password: 'correct horse battery' });
    expect(session.body.user.email).toBe(email.toLowerCase());
  });

  it('answers 409 email-taken for an address already registered in another case, and leaves its owner alone', async () => {
    const res = await createAccount({ email: 'ADA@example.com', password: 'an attacker password', name: 'Not Ada' });
    expectProblem(t.registry, res, 409, 'email-taken');
    expect((await postSession(t, { email: ADA.email, password: 'an attacker password' })).status).toBe(401);
    const session = await signIn(t, ADA);
    expect(session.body.user).toEqual({ id: ADA.id, name: ADA.name, email: ADA.email });
  });

  it('answers 409 when the same new address is registered twice', async () => {
    const input = account();
    expect((await createAccount(input)).status).toBe(201);
    expectProblem(t.registry, await createAccount({ ...input, password: 'another password' }), 409, 'email-taken');
    await signIn(t, input);
  });

  it('signs in with the password typed in another Unicode normalisation form (NIST SP 800-63B §5.1.1.2)', async () => {
    const composed = 'cr\u00e8me br\u00fbl\u00e9e';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const input = account({ password: composed });
    expect((await createAccount(input)).status).toBe(201);
    await signIn(t, { email: input.email, password: decomposed });
  });

  it('answers 406 before creating anything when Accept allows no representation of me', async () => {
    const input = account();
    const res = await createAccount(input, { Accept: 'text/plain' });
    expectProblem(t.registry, res, 406, 'not-acceptable');
    expect((await createAccount(input)).status).toBe(201);
  });

  it.each([
    ['an 8-character password', 'eight888'],
    ['a 128-character password', 'p'.repeat(127) + 'q'],
  ])('accepts %s, the bounds of NIST SP 800-63B', async (_name, password) => {
    const input = account({ password });
    expect((await createAccount(input)).status).toBe(201);
    await signIn(t, input);
  });

  it.each([
    ['a 7-character password', '/password', { password: 'seven77' }],
    ['a 129-character password', '/password', { password: 'l'.repeat(128) + 'm' }],
    ['a missing name', '/name', { name: undefined }],
    ['an empty name', '/name', { name: '' }],
    ['an e-mail that is not one', '/email', { email: 'not-an-address' }],
  ])('answers 422 for %s, naming %s, and creates nothing', async (_name, pointer, fields) => {
    const input = account(fields);
    const res = await createAccount(input);
    const body = expectProblem(t.registry, res, 422, 'validation-failed');
    expect((body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual([pointer]);
    expect((await postSession(t, { email: input.email, password: 'correct horse battery' })).status).toBe(401);
  });

  it('answers 415 for a form body, naming application/json in Accept-Post', async () => {
    sentPasswords.add('form-body-password');
    const res = await request(t.app).post('/api/accounts').type('form')
      .send({ email: freshEmail('form'), password: 'form-body-password', name: 'Form Person' });
    expectProblem(t.registry, res, 415, 'unsupported-media-type');
    expect(res.headers['accept-post']).toBe('application/json');
    expectNoPasswordIn(res);
  });

  it('answers 400 for malformed JSON without echoing it', async () => {
    sentPasswords.add('half-a-json-password');
    const res = await request(t.app).post('/api/accounts').set('Content-Type', 'application/json')
      .send('{"email":"x@example.com","password":"half-a-json-password"');
    expectProblem(t.registry, res, 400, 'malformed-json');
    expectNoPasswordIn(res);
  });

  it('never writes a password to a log line, whether the account is created or refused', async () => {
    const password = 'a-password-for-the-log-test';
    const input = account({ password });
    expect((await createAccount(input)).status).toBe(201);
    expect((await createAccount(input)).status).toBe(409);
    expect((await createAccount({ ...input, email: 'broken', name: '' })).status).toBe(422);
    await signIn(t, input);
    expect((await postSession(t, { email: input.email, password: `${password}!` })).status).toBe(401);
    for (const sent of sentPasswords) expect(logged.join('\n')).not.toContain(sent);
  });
});
