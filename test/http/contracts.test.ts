import express from 'express';
import request from 'supertest';
import { PARTNER_V3 } from '../../representations/media-types';
import { readLifecycle } from '../../src/lifecycle-config';
import { createLifecycle } from '../../src/http/answer/negotiation/lifecycle';
import type { Lifecycle } from '../../src/http/answer/negotiation/lifecycle';
import { escapeHtml } from '../../src/http/answer/html/markup';
import { createContractsRouter, renderContractsPage } from '../../src/http/routes/contracts';
import { createTestApp } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';
import { expectProblem } from '../helpers/schema';

const CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const lifecycle = createLifecycle(readLifecycle({ DEPRECATE: 'partner.v3@2027-01-01T00:00:00Z', SUNSET: 'partner.v3@2027-06-30T00:00:00Z' }), '/docs/contracts');

/** The section of `html` about the representation `name`. */
function section(html: string, name: string): string {
  const start = html.indexOf(`<section id="${name}">`);
  return start === -1 ? '' : html.slice(start, html.indexOf('</section>', start));
}

/** The page router alone, on a clock the test moves. */
function pageAt(of: Lifecycle, clock: { now: Date }) {
  return express().use(createContractsRouter(of, { now: () => clock.now }));
}

describe('GET /docs/contracts', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('answers an HTML page, cacheable for five minutes, under a CSP that allows no script or inline style', async () => {
    const res = await request(t.app).get('/docs/contracts');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['content-security-policy']).toBe(CSP);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.text).not.toMatch(/<script|<style|style=/i);
  });

  it('lists every representation as live when nothing is deprecated, with partner.v3\'s successor', async () => {
    const res = await request(t.app).get('/docs/contracts');
    for (const name of ['summary', 'full', 'partner.v3', 'partner.v4']) expect(section(res.text, name)).toContain('<p>Live.</p>');
    expect(section(res.text, 'partner.v3')).toContain('Successor: <code>partner.v4</code> (<code>application/vnd.example.partner.v4+json</code>). partner.v4 adds tags');
  });

  it('answers 304 to its current ETag and 405 to other methods', async () => {
    const first = await request(t.app).get('/docs/contracts');
    const again = await request(t.app).get('/docs/contracts').set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
    const post = await request(t.app).post('/docs/contracts');
    expectProblem(t.registry, post, 405, 'method-not-allowed');
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});

describe('the contracts page over time', () => {
  it('says when a representation will be deprecated, since when it is, and since when it is retired', async () => {
    const clock = { now: new Date('2026-12-31T23:59:59Z') };
    const app = pageAt(lifecycle, clock);
    const before = await request(app).get('/docs/contracts');
    expect(section(before.text, 'partner.v3')).toContain('Live. Deprecated from <time datetime="2027-01-01T00:00:00Z">2027-01-01T00:00:00Z</time>. Sunset scheduled for <time datetime="2027-06-30T00:00:00Z">');
    clock.now = new Date('2027-01-01T00:00:00Z');
    const deprecated = await request(app).get('/docs/contracts');
    expect(section(deprecated.text, 'partner.v3')).toContain('Deprecated since <time datetime="2027-01-01T00:00:00Z">2027-01-01T00:00:00Z</time>. Sunset scheduled for');
    expect(deprecated.headers.etag).not.toBe(before.headers.etag);
    clock.now = new Date('2027-06-30T00:00:00Z');
    const retired = await request(app).get('/docs/contracts');
    expect(section(retired.text, 'partner.v3')).toContain('Retired since <time datetime="2027-06-30T00:00:00Z">2027-06-30T00:00:00Z</time> (deprecated since');
    expect(section(retired.text, 'summary')).toContain('<p>Live.</p>');
  });

  it('keeps its ETag between transitions', async () => {
    const clock = { now: new Date('2027-02-01T00:00:00Z') };
    const app = pageAt(lifecycle, clock);
    const first = await request(app).get('/docs/contracts');
    clock.now = new Date('2027-03-01T00:00:00Z');
    expect((await request(app).get('/docs/contracts')).headers.etag).toBe(first.headers.etag);
  });

  it('says that no sunset is scheduled for a deprecation without one', () => {
    const open = createLifecycle(readLifecycle({ DEPRECATE: 'summary@2027-01-01T00:00:00Z' }), '/docs/contracts');
    expect(section(renderContractsPage(open, Date.parse('2027-02-01T00:00:00Z')), 'summary')).toContain('No sunset is scheduled yet.');
  });
});

describe('escaping', () => {
  it('escapes what HTML gives meaning to, in text and in attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('escapes every value it puts on the page', () => {
    const html = renderContractsPage(lifecycle, 0, { [PARTNER_V3]: '<script>alert("x")</script> & more' });
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toContain('<script');
  });
});
