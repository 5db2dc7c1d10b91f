import request from 'supertest';
import { FULL, PARTNER_V3, SUMMARY } from '../../../representations/media-types';
import { createTestApp, KEYS } from '../../helpers/test-app';
import type { TestApp } from '../../helpers/test-app';
import { CHROME, elementById, expectHtmlPage, textOf } from '../../helpers/html-page';
import { expectProblem, expectValidBody } from '../../helpers/schema';
import { bearer } from '../http-expect';

/** A link whose every text field is an injection attempt. */
const XSS = { title: '<script>alert(1)</script>', tags: ['"><img src=x onerror=alert(2)>', "javascript:alert('3')"], url: 'https://example.org/?q=%3Cscript%3E&x="y"' };

let t: TestApp;
let xssCode: string;
beforeAll(async () => {
  t = await createTestApp();
  const created = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', FULL).send(XSS);
  expect(created.status).toBe(201);
  xssCode = (expectValidBody(t.registry, created, 'link') as { code: string }).code;
});
afterAll(async () => { await t.close(); });

const get = (path: string, accept: string | undefined, key?: string) => {
  const req = request(t.app).get(path);
  if (accept !== undefined) req.set('Accept', accept);
  if (key) req.set('Authorization', bearer(key));
  return req;
};

describe('the browsable view (rule 7)', () => {
  it("gives a browser's navigation the page of the default representation, and */* the JSON it always got", async () => {
    const page = await get('/api/links/facet', CHROME);
    expect(page.status).toBe(200);
    const { json, type, html } = expectHtmlPage(t.registry, page, 'link');
    expect(type).toBe(FULL);
    const plain = await get('/api/links/facet', '*/*');
    expect(plain.headers['content-type']).toBe(FULL);
    expect(json).toEqual(expectValidBody(t.registry, plain, 'link'));
    // Same caching as the JSON, its own validator.
    expect(page.headers['cache-control']).toBe(plain.headers['cache-control']);
    expect(page.headers.vary).toBe(plain.headers.vary);
    expect(page.headers.etag).not.toBe(plain.headers.etag);
    // The JSON answer's headers, shown.
    expect(textOf(elementById(html, 'headers'))).toContain(plain.headers.etag);
    // A switcher and a curl line for every representation of the resource.
    const offers = t.registry.resource('link').offers;
    for (const offer of offers) {
      expect(html).toContain(`data-type="${offer}"`);
      expect(textOf(elementById(html, 'curls'))).toContain(`curl -i -H 'Accept: ${offer}' 'http://localhost:3000/api/links/facet'`);
    }
    // URLs are links; the script and stylesheet are served files.
    expect(html).toContain('<a href="http://localhost:3000/facet" rel="noopener noreferrer nofollow">');
    const script = await get('/docs/view.js', undefined);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/docs/view.css', undefined)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    ['no Accept', undefined, FULL],
    ['*/*', '*/*', FULL],
    ['application/json, text/html (JSON named first at the same q)', 'application/json, text/html', FULL],
    ['text/html, application/json (a named JSON range wins the tie)', 'text/html, application/json', FULL],
    ['a vendor type over a weaker text/html', `text/html;q=0.5, ${SUMMARY}`, SUMMARY],
    ['fetch() and axios defaults', 'application/json, text/plain, */*', FULL],
  ])('keeps JSON for %s', async (_name, accept, type) => {
    const res = await get('/api/links/facet', accept);
    expect(res.headers['content-type']).toBe(type);
    expectValidBody(t.registry, res, 'link');
  });

  it.each([
    ['text/*', 'text/*'],
    ['Firefox', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['text/html above a weaker vendor type', `text/html, ${SUMMARY};q=0.5`],
    ['odd case and spacing', '  TEXT/HTML ;Q=1 ,*/*;q=0.1'],
  ])('gives a page for %s', async (_name, accept) => {
    expectHtmlPage(t.registry, await get('/api/links/facet', accept), 'link');
  });

  it('answers a revalidation of the page with a 304 naming its own ETag, in each coding', async () => {
    for (const coding of ['identity', 'gzip', 'br']) {
      const first = await get('/api/links/facet', CHROME).set('Accept-Encoding', coding);
      expectHtmlPage(t.registry, first, 'link');
      const again = await get('/api/links/facet', CHROME).set('Accept-Encoding', coding).set('If-None-Match', first.headers.etag!);
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(first.headers.etag);
      expectValidBody(t.registry, again, 'link');
      // The JSON's validator does not validate the page, nor the page's the JSON.
      const json = await get('/api/links/facet', '*/*').set('Accept-Encoding', coding).set('If-None-Match', first.headers.etag!);
      expect(json.status).toBe(200);
      expectValidBody(t.registry, json, 'link');
    }
  });

  it('shows every stored value as text: the injection attempts stay inert', async () => {
    const page = await get(`/api/links/${xssCode}`, CHROME);
    const { json, html } = expectHtmlPage(t.registry, page, 'link');
    expect(json).toMatchObject({ title: XSS.title, tags: XSS.tags });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
    // The only scripts are the served one.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/docs/view.js">']);
  });

  it('escapes the request target it shows and never reflects it unescaped', async () => {
    const res = await get('/api/links?limit=5&x=%22%3E%3Cscript%3E&y="><b>', CHROME, KEYS.user);
    const { html } = expectHtmlPage(t.registry, res, 'link-page');
    expect(html).not.toContain('"><b>');
    expect(html).not.toContain('<b>');
  });

  it("shows a private resource's JSON and a curl line with a placeholder, never the caller's credential", async () => {
    const res = await get('/api/me', CHROME, KEYS.user);
    const { type, html } = expectHtmlPage(t.registry, res, 'me');
    expect(type).toBe(FULL);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(html).toContain('Authorization: Bearer $FACET_TOKEN');
    expect(html).not.toContain(KEYS.user);
  });

  it("shows a partner key's pinned contract", async () => {
    const { type } = expectHtmlPage(t.registry, await get('/api/links/facet', CHROME, KEYS.partner), 'link');
    expect(type).toBe(PARTNER_V3);
  });

  it('answers HEAD of a page with its headers and no body', async () => {
    const res = await request(t.app).head('/api/links/facet').set('Accept', CHROME);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expectValidBody(t.registry, res, 'link');
  });

  it('does not offer a page for writes: a create asking only for text/html is a 406, shown as a page', async () => {
    const res = await request(t.app).post('/api/links').set('Authorization', bearer(KEYS.user)).set('Accept', 'text/html').send({ url: 'https://example.org/' });
    expect(res.status).toBe(406);
    expect(expectHtmlPage(t.registry, res).json).toMatchObject({ code: 'not-acceptable' });
  });
});

describe('problems asked for by a browser', () => {
  it.each([
    ['an unknown link', '/api/links/no-such-link', undefined, 404, 'not-found'],
    ['a private resource without a credential', '/api/dashboard', undefined, 401, 'unauthorized'],
    ['a resource with no page for the caller (a partner key on a team)', '/api/teams/team_demo', KEYS.partner, 406, 'not-acceptable'],
    ['an unknown path', '/nowhere/at/all', undefined, 404, 'not-found'],
  ])('are pages with the same status: %s', async (_name, path, key, status, code) => {
    const page = await get(path, CHROME, key);
    expect(page.status).toBe(status);
    expect(page.headers['cache-control']).toBe('no-store');
    const { json, html } = expectHtmlPage(t.registry, page);
    expect(json).toMatchObject({ status, code });
    expect(textOf(elementById(html, 'detail'))).toBe(json.detail);
    if (status === 401) expect(page.headers['www-authenticate']).toBe('Bearer realm="facet"');
    // The same request from an API client is problem+json, as always.
    expectProblem(t.registry, await get(path, '*/*', key), status, code);
    expectProblem(t.registry, await get(path, 'application/json, text/html', key), status, code);
  });
});
