import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import type { Browser } from 'playwright-core';
import { FULL, PARTNER_V3, SUMMARY } from '../../representations/media-types';
import { createTestApp } from '../helpers/test-app';
import type { TestApp } from '../helpers/test-app';

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

describeWithChromium('the /docs page in headless Chromium', () => {
  let t: TestApp;
  let server: http.Server;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await t?.close();
  });

  it('renders every endpoint with the three media types and their schemas, from local assets only, under its CSP', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
    const external: string[] = [];
    page.on('request', (req) => { if (!req.url().startsWith(baseUrl)) external.push(req.url()); });
    const refused: string[] = [];
    page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) refused.push(message.text()); });
    page.on('pageerror', (err) => refused.push(err.message));
    const response = await page.goto(`${baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.waitForSelector('.opblock', { timeout: 60_000 }); // a loaded shared machine renders slowly
    // Operations are listed collapsed: open the GET and POST ones, as a reader would, to see their responses.
    const summaries = page.locator('.opblock-get .opblock-summary, .opblock-post .opblock-summary');
    const opened = await summaries.count();
    expect(opened).toBeGreaterThan(10);
    for (let i = 0; i < opened; i += 1) await summaries.nth(i).click();
    await page.waitForSelector('.model-example', { timeout: 60_000 });
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path') ?? n.textContent ?? ''));
    for (const expected of ['/{code}', '/api/links', '/api/links/{code}', '/api/links/{code}/stats', '/api/me', '/api/teams/{id}', '/api/dashboard']) {
      expect(paths).toContain(expected);
    }
    const text = await page.innerText('body');
    const options = await page.$$eval('select option', (nodes) => nodes.map((n) => n.textContent ?? ''));
    for (const type of [SUMMARY, FULL, PARTNER_V3, 'application/problem+json']) {
      expect(options.some((o) => o.includes(type)) || text.includes(type)).toBe(true);
    }
    expect(text).toContain('curl');
    // Each response shows an "Example Value | Schema" pair for its media type.
    expect(await page.locator('.model-example').count()).toBeGreaterThan(10);
    expect(await page.locator('.model-example button', { hasText: 'Schema' }).count()).toBeGreaterThan(10);
    expect(external).toEqual([]);
    // Under its Content-Security-Policy the page renders without a refused load or script error.
    expect(refused).toEqual([]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs.png') });
    await page.close();
  }, 90_000);
});
