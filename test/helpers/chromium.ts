import fs from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `describe` for a suite that needs a real browser: under CI=true a missing Chromium fails the
 * run (thrown at load), locally the suite is skipped with the reason printed.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (fs.existsSync(CHROMIUM)) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package`);
  console.warn(`"${name}" skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  describe.skip(name, fn);
}

/** Headless Chromium with the flags this closed network needs (no background connections, no QUIC). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}
