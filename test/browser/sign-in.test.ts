import fs from 'node:fs';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Response } from 'supertest';
import { FULL } from '../../representations/media-types';
import { buildRegistry, OTHER_SCHEMAS } from '../../representations/registry';
import { DEMO_KEYS, DEMO_PASSWORDS } from '../../src/domain/seed';
import { expectProblem, expectValidBody } from '../helpers/schema';
import { freePort, startService } from '../process/service-process';
import type { ServiceProcess } from '../process/service-process';
import { eventually, send } from '../scale/helpers';
import { EVIL_SCRIPT, startPageServer, WEB_APP_SCRIPT } from './sign-in-pages';
import type { EvilPage, FetchOutcome, PageServer, WebApp } from './sign-in-pages';

const registry = buildRegistry();
const ADA = { email: 'ada@example.com', password: DEMO_PASSWORDS['ada@example.com'] };
const USER_KEY = { Authorization: `Bearer ${DEMO_KEYS.user}`, Accept: FULL };
const SESSION_COOKIE = '__Host-facet_session';
/** One of Ada's seeded links: the web app edits it, the forgeries try to. */
const CODE = 'rfc9110';

/** A page's answer as much of a supertest Response as test/helpers/schema.ts reads. */
function asResponse(seen: FetchOutcome, method: string): Response {
  if (seen.outcome !== 'read') throw new Error(`the page could not read the answer: ${JSON.stringify(seen)}`);
  return { status: seen.status, headers: seen.contentType === null ? {} : { 'content-type': seen.contentType }, text: seen.text, req: { method } } as unknown as Response;
}

/** Validates a JSON sign-in body against its schema file; returns it. */
function expectJson(res: Response, schema: string): Record<string, unknown> {
  expect(res.headers['content-type']).toBe('application/json');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  const validate = registry.validator(schema);
  if (!validate(body)) throw new Error(`body does not match ${schema}: ${JSON.stringify(validate.errors)}\n${res.text}`);
  return body;
}

type Calls = Record<string, (...args: unknown[]) => unknown>;

/** Calls `window[global][name](...args)` in the page and resolves with what it returned. */
function inPage(page: Page, global: 'facet' | 'evil', name: string, args: unknown[]): Promise<unknown> {
  return page.evaluate(([g, n, a]) => (globalThis as unknown as Record<string, Calls>)[g]![n]!(...a), [global, name, args] as [string, string, unknown[]]);
}
/** One call of the listed web app's script. */
const onWebApp = <K extends keyof WebApp>(page: Page, name: K, ...args: Parameters<WebApp[K]>) =>
  inPage(page, 'facet', name, args) as Promise<Awaited<ReturnType<WebApp[K]>>>;
/** One call of an unlisted page's script. */
const onEvil = <K extends keyof EvilPage>(page: Page, name: K, ...args: Parameters<EvilPage[K]>) =>
  inPage(page, 'evil', name, args) as Promise<Awaited<ReturnType<EvilPage[K]>>>;

// One story, told in order: sign in, use the session, forgeries while it is live, sign out.
describeWithChromium('signing in from a web app in headless Chromium', () => {
  /** The API as the browser addresses it (localhost: a secure context, same-site with the pages). */
  let api: string;
  /** The same service as this process reaches it, whatever localhost resolves to here. */
  let direct: string;
  let service: ServiceProcess;
  let webApp: PageServer;
  let sibling: PageServer;
  let crossSite: PageServer;
  let browser: Browser;
  let context: BrowserContext;
  let app: Page;

  /** What the store holds, read with the demo key: the link and Ada's first page of links (validated). */
  async function storeState() {
    const link = await send(direct, 'GET', `/api/links/${CODE}`, { headers: USER_KEY });
    expect(link.status).toBe(200);
    const list = await send(direct, 'GET', '/api/links', { headers: USER_KEY });
    expect(list.status).toBe(200);
    return { link: expectValidBody(registry, link, 'link'), list: expectValidBody(registry, list, 'link-page') };
  }

  /** How many `method` requests of `route` the service has answered, by status (its /metrics counter). */
  async function answered(method: string, route: string): Promise<Record<string, number>> {
    const res = await send(direct, 'GET', '/metrics');
    expect(res.status).toBe(200);
    const tally: Record<string, number> = {};
    for (const [, labels, value] of res.text.matchAll(/^facet_http_requests_total\{(.*)\} (\d+)$/gm)) {
      const label = Object.fromEntries([...labels!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
      if (label.method === method && label.route === route) tally[label.status!] = (tally[label.status!] ?? 0) + Number(value);
    }
    return tally;
  }
  /** What `answered` has counted since `before`, statuses that did not change left out. */
  async function answeredSince(before: Record<string, number>, method: string, route: string): Promise<Record<string, number>> {
    const now = await answered(method, route);
    return Object.fromEntries(Object.entries(now).filter(([status, n]) => n !== (before[status] ?? 0)).map(([status, n]) => [status, n - (before[status] ?? 0)]));
  }

  /** The session cookie Chromium holds for the API, or undefined. */
  async function sessionCookie() {
    return (await context.cookies(api)).find((c) => c.name === SESSION_COOKIE);
  }

  beforeAll(async () => {
    const port = await freePort();
    api = `http://localhost:${port}`;
    direct = `http://127.0.0.1:${port}`;
    webApp = await startPageServer({ host: 'localhost', api, script: WEB_APP_SCRIPT, title: 'Facet web app' });
    sibling = await startPageServer({ host: 'localhost', api, script: EVIL_SCRIPT, title: 'Same-site, unlisted' });
    crossSite = await startPageServer({ host: '127.0.0.1', api, script: EVIL_SCRIPT, title: 'Cross-site' });
    service = await startService({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: api, CORS_ORIGINS: webApp.origin, PASSWORD_SCRYPT_LOG_N: '10' });
    browser = await launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']);
    context = await browser.newContext();
    app = await context.newPage();
    await app.goto(`${webApp.origin}/`);
    await app.waitForFunction(() => 'facet' in globalThis, undefined, { timeout: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([webApp, sibling, crossSite].map((s) => s?.close()));
    service?.child.kill('SIGKILL');
    await service?.exited;
    if (service) fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it('signs in with fetch from the listed origin: 201, the session body, and an HttpOnly __Host- cookie the page cannot see', async () => {
    const signedIn = await onWebApp(app, 'signIn', ADA.email, ADA.password);
    const res = asResponse(signedIn, 'POST');
    expect(res.status).toBe(201);
    const body = expectJson(res, OTHER_SCHEMAS.session);
    expect(body.user).toEqual({ id: 'usr_ada', name: 'Ada Lovelace', email: ADA.email });
    expect(signedIn.outcome === 'read' && signedIn.setCookie).toBeNull(); // Set-Cookie is never readable by a script
    const cookie = await sessionCookie();
    expect(cookie).toMatchObject({ domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).toMatch(/^fct_ses_/);
    // Kept until the session's absolute end: SESSION_ABSOLUTE_SECONDS, 8 hours by default.
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(28_800 - 60);
    expect(cookie!.expires - Date.now() / 1000).toBeLessThanOrEqual(28_800 + 1);
    expect(await onWebApp(app, 'cookies')).not.toContain('fct_ses_');
  });

  it('reads the full dashboard with the cookie alone', async () => {
    const res = asResponse(await onWebApp(app, 'read', '/api/dashboard'), 'GET');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(FULL);
    const body = expectValidBody(registry, res, 'dashboard');
    expect(JSON.stringify(body)).toContain(CODE);
    const session = asResponse(await onWebApp(app, 'read', '/api/session'), 'GET');
    expect(session.status).toBe(200);
    expect(expectJson(session, OTHER_SCHEMAS.session).user).toMatchObject({ id: 'usr_ada' });
  });

  it('edits a link with PATCH and X-CSRF-Token, and the store has the new title', async () => {
    const title = `edited in Chromium ${Date.now()}`;
    expect((await storeState()).link.title).not.toBe(title);
    const patched = asResponse(await onWebApp(app, 'patchTitle', CODE, title, true), 'PATCH');
    expect(patched.status).toBe(200);
    expect(expectValidBody(registry, patched, 'link').title).toBe(title);
    expect((await storeState()).link.title).toBe(title);
  });

  it('refuses a PATCH from the listed origin without X-CSRF-Token with 403 csrf-rejected, changing nothing', async () => {
    const before = await storeState();
    const refused = asResponse(await onWebApp(app, 'patchTitle', CODE, 'no token', false), 'PATCH');
    expectProblem(registry, refused, 403, 'csrf-rejected');
    expect(await storeState()).toEqual(before);
  });

  describe.each([
    { name: 'an unlisted same-site origin (another port of localhost)', server: () => sibling, sameSite: true },
    { name: 'a cross-site origin (127.0.0.1)', server: () => crossSite, sameSite: false },
  ])('a page on $name, while Ada is signed in', ({ server, sameSite }) => {
    let evil: Page;
    const refusal = sameSite ? '403' : '401';

    beforeAll(async () => {
      evil = await context.newPage();
      await evil.goto(`${server().origin}/`);
      await evil.waitForFunction(() => 'evil' in globalThis, undefined, { timeout: 10_000 });
    });
    afterAll(async () => { await evil?.close(); });

    beforeEach(async () => {
      // Not vacuous: the session is live in this browser while the page tries.
      expect(await sessionCookie()).toBeDefined();
      expect(asResponse(await onWebApp(app, 'read', '/api/session'), 'GET').status).toBe(200);
    });

    it.each(['/api/me', '/api/dashboard', '/api/session'])('cannot read %s: a cors fetch rejects, a no-cors one is opaque', async (path) => {
      const cors = await onEvil(evil, 'read', path, 'cors');
      expect(cors).toMatchObject({ outcome: 'rejected' });
      const opaque = await onEvil(evil, 'read', path, 'no-cors');
      expect(opaque).toEqual({ outcome: 'opaque', status: 0 });
      expect(await onEvil(evil, 'cookies')).not.toContain('fct_ses_');
    });

    it('forges a text/plain fetch POST to /api/links (cors and no-cors): refused, nothing created', async () => {
      const before = await storeState();
      const posts = await answered('POST', '/api/links');
      for (const mode of ['cors', 'no-cors'] as const) {
        const code = `forged-${mode}`;
        const body = JSON.stringify({ url: 'https://evil.example/', code });
        const seen = await onEvil(evil, 'forge', 'POST', '/api/links', body, mode);
        expect(seen.outcome).toBe(mode === 'cors' ? 'rejected' : 'opaque');
        expect(await storeState()).toEqual(before);
        const probe = await send(direct, 'GET', `/api/links/${code}`, { headers: USER_KEY });
        expectProblem(registry, probe, 404, 'not-found');
      }
      // Both reached the API: with the cookie and refused by the CSRF check (same-site), or without it (cross-site: SameSite=Strict).
      await eventually(async () => expect(await answeredSince(posts, 'POST', '/api/links')).toEqual({ [refusal]: 2 }), { timeoutMs: 5000 });
    });

    it('forges a fetch PATCH of the link (cors and no-cors): never sent, the link unchanged', async () => {
      const before = await storeState();
      const patches = await answered('PATCH', '/api/links/:code');
      for (const mode of ['cors', 'no-cors'] as const) {
        const seen = await onEvil(evil, 'forge', 'PATCH', `/api/links/${CODE}`, '{"title":"forged"}', mode);
        expect(seen.outcome).toBe('rejected'); // cors: the preflight grants nothing; no-cors: PATCH is not a simple method
        expect(await storeState()).toEqual(before);
      }
      expect(await answeredSince(patches, 'PATCH', '/api/links/:code')).toEqual({});
    });

    it('cannot sign the browser in to another account (login CSRF): POST /api/session by fetch and by form is refused with 403', async () => {
      const cookie = await sessionCookie();
      const signIns = await answered('POST', '/api/session');
      const body = JSON.stringify({ email: 'grace@example.com', password: DEMO_PASSWORDS['grace@example.com'] });
      expect(await onEvil(evil, 'forge', 'POST', '/api/session', body, 'no-cors')).toEqual({ outcome: 'opaque', status: 0 });
      expect(await onEvil(evil, 'submitForm', '/api/session', 'text/plain', body.slice(0, -2), '"}')).toBe('loaded');
      // The sign-in origin check (Fetch Metadata) refuses both, whether or not the cookie rode along.
      await eventually(async () => expect(await answeredSince(signIns, 'POST', '/api/session')).toEqual({ 403: 2 }), { timeoutMs: 5000 });
      expect((await sessionCookie())?.value).toBe(cookie!.value);
      const session = asResponse(await onWebApp(app, 'read', '/api/session'), 'GET');
      expect(expectJson(session, OTHER_SCHEMAS.session).user).toMatchObject({ id: 'usr_ada' });
    });

    it.each([
      { enctype: 'text/plain', name: '{"url":"https://evil.example/","code":"forged-form","x":"', value: '"}' },
      { enctype: 'application/x-www-form-urlencoded', name: 'url', value: 'https://evil.example/' },
    ])('auto-submits a <form method=POST enctype=$enctype> to /api/links: refused, nothing created', async ({ enctype, name, value }) => {
      const before = await storeState();
      const posts = await answered('POST', '/api/links');
      expect(await onEvil(evil, 'submitForm', '/api/links', enctype, name, value)).toBe('loaded');
      await eventually(async () => expect(await answeredSince(posts, 'POST', '/api/links')).toEqual({ [refusal]: 1 }), { timeoutMs: 5000 });
      expect(await storeState()).toEqual(before);
      expectProblem(registry, await send(direct, 'GET', '/api/links/forged-form', { headers: USER_KEY }), 404, 'not-found');
    });
  });

  it('signs out with DELETE /api/session and the token: 204, the cookie gone, further reads 401, the old cookie refused everywhere', async () => {
    const cookie = await sessionCookie();
    expect(cookie).toBeDefined();
    const withoutToken = asResponse(await onWebApp(app, 'signOut', false), 'DELETE');
    expectProblem(registry, withoutToken, 403, 'csrf-rejected');
    const out = asResponse(await onWebApp(app, 'signOut', true), 'DELETE');
    expect(out.status).toBe(204);
    expectValidBody(registry, out);
    expect(await sessionCookie()).toBeUndefined();
    for (const path of ['/api/dashboard', '/api/session', '/api/me']) {
      const res = asResponse(await onWebApp(app, 'read', path), 'GET');
      expectProblem(registry, res, 401, 'unauthorized');
    }
    // Revoked in the store, not only forgotten by this browser: the old cookie, replayed, is refused.
    const replayed = await send(direct, 'GET', '/api/me', { headers: { Cookie: `${SESSION_COOKIE}=${cookie!.value}`, Accept: FULL } });
    expectProblem(registry, replayed, 401, 'unauthorized');
  });
});
