import type http from 'node:http';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { FULL, SUMMARY } from '../../representations/media-types';
import { createServer } from '../../src/http/pipeline/server';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { expectValidBody } from '../helpers/schema';
import { createTestApp, KEYS } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';

/** The browser globals the functions handed to page.evaluate use: they run in Chromium, not in Node. */
interface PageElement { getAttribute(name: string): string | null }
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};
declare const window: unknown;

const XSS_TITLE = '<script>alert(1)</script>';
const XSS_TAG = '"><img src=x onerror=alert(2)>';

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The page's JSON, as a user would copy it out of the <pre>, validated against `type`'s schema of a link. */
async function shownJson(t: TestApp, page: Page, type: string): Promise<Record<string, unknown>> {
  const text = await page.locator('#json').textContent();
  const json = JSON.parse(text ?? '') as Record<string, unknown>;
  const validate = t.registry.resource('link').get(type as typeof FULL).validate;
  if (!validate(json)) throw new Error(`the shown JSON is no ${type}: ${JSON.stringify(validate.errors)}`);
  return json;
}

describeWithChromium('the browsable view in headless Chromium', () => {
  let t: TestApp;
  let server: http.Server;
  let origin: string;
  let browser: Browser;
  let code: string;

  beforeAll(async () => {
    t = await createTestApp();
    const created = await request(t.app).post('/api/links').set('Authorization', `Bearer ${KEYS.user}`).set('Accept', FULL)
      .send({ url: 'https://example.org/?next=javascript:alert(3)', title: XSS_TITLE, tags: [XSS_TAG] });
    code = (expectValidBody(t.registry, created, 'link') as { code: string }).code;
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  /** A fresh page that records dialogs (an executed alert), CSP violations and script errors. */
  async function watchedPage() {
    const page = await browser.newPage();
    const seen = { dialogs: [] as string[], errors: [] as string[], failed: [] as string[] };
    // Chromium asks every origin for /favicon.ico on its own; Facet has none (a 404), and nothing else may fail.
    page.on('response', (r) => { if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') seen.failed.push(`${r.status()} ${r.url()}`); });
    page.on('dialog', (d) => { seen.dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', (e) => seen.errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) seen.errors.push(m.text()); });
    // An init script is the browser's own, outside the page's CSP: it sees every violation.
    await page.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const violations = () => page.evaluate(() => (window as unknown as { violations: string[] }).violations);
    return { page, seen, violations };
  }

  it('shows the JSON and the switcher, switches representation, and keeps injected values inert', async () => {
    const { page, seen, violations } = await watchedPage();
    const res = await page.goto(`${origin}/api/links/${code}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toBe('text/html; charset=utf-8');
    const full = await shownJson(t, page, FULL);
    expect(full).toMatchObject({ code, title: XSS_TITLE, tags: [XSS_TAG] });
    // The injected strings are text: no element was made of them.
    expect(await page.evaluate(() => document.querySelectorAll('#json script, #json img, body img').length)).toBe(0);
    expect(await page.locator('#switcher button').count()).toBe(t.registry.resource('link').offers.length);

    // Screenshots: the JSON and the switcher are rendered boxes of the size the layout gave them.
    for (const selector of ['#json', '#switcher']) {
      const box = await page.locator(selector).boundingBox();
      const shot = pngSize(await page.locator(selector).screenshot());
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(10);
      expect(Math.abs(shot.width - Math.round(box!.width))).toBeLessThanOrEqual(1);
      expect(Math.abs(shot.height - Math.round(box!.height))).toBeLessThanOrEqual(1);
    }
    const before = await page.screenshot({ fullPage: true });

    await page.locator(`#switcher button[data-type="${SUMMARY}"]`).click();
    await page.waitForFunction((type) => document.body.dataset.shown === type, SUMMARY);
    const summary = await shownJson(t, page, SUMMARY);
    expect(summary).toMatchObject({ code, url: 'https://example.org/?next=javascript:alert(3)' });
    expect(await page.locator(`#switcher button[data-type="${SUMMARY}"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#shown-type').textContent()).toBe(SUMMARY);
    expect((await page.screenshot({ fullPage: true })).equals(before)).toBe(false);
    // URLs are links; a javascript: string is none.
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('#json a')].map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);

    expect(seen.dialogs).toEqual([]);
    expect(await violations()).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(seen.failed).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a problem as a page with its status, under the same policy', async () => {
    const { page, seen, violations } = await watchedPage();
    const res = await page.goto(`${origin}/api/links/no-such-link`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('404 Not Found');
    const problem = JSON.parse((await page.locator('#json').textContent()) ?? '') as Record<string, unknown>;
    const validate = t.registry.validator('problem/problem.schema.json');
    expect(validate(problem)).toBe(true);
    expect(problem.code).toBe('not-found');
    expect(await violations()).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(seen.failed).toEqual([`404 ${origin}/api/links/no-such-link`]);
    await page.close();
  }, 60_000);
});
