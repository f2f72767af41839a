/**
 * Browser tests: playwright-core driving Debian's Chromium — never a browser
 * that a tool downloads (none can be fetched on our machines, and CI must not depend on one).
 *
 *   const browser = await launchBrowser(after);        // closed with the suite
 *   const server = await startBrowserServer(after);     // a real yeon listening on 127.0.0.1
 *   await screenshot(page, 'en-mobile-login');          // → artifacts/screenshots/en-mobile-login.png
 *
 * A missing Chromium is an error that says how to install it, never a skip: a browser lane that
 * quietly tests nothing would look green.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from './build-test-app.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a closed network: without the background-networking ones Chromium keeps dialling out. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const SCREENSHOT_DIR = path.join(root, 'artifacts', 'screenshots');

type After = (fn: () => Promise<void>) => void;

export async function launchBrowser(after: After): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: the browser tests need Debian's Chromium. ` +
        'Install it with `apt-get install -y chromium` (.ci/run does this), then run the tests again.',
    );
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  after(() => browser.close());
  return browser;
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface BrowserServer extends TestApp {
  /** e.g. http://127.0.0.1:41234 — also the configured issuer, so URLs the app builds match. */
  baseUrl: string;
}

/**
 * The real app (fresh migrated database of the current lane) listening on 127.0.0.1. The port is
 * chosen before the app is built so that YEON_PORT and YEON_ISSUER name the URL the browser uses.
 */
export async function startBrowserServer(
  after: After,
  env: Record<string, string> = {},
): Promise<BrowserServer> {
  // Bounded retry: another process may take the port between the probe and our listen.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const closers: Array<() => Promise<void>> = [];
    const built = await buildTestApp(
      { after: (fn: () => Promise<void>) => closers.push(fn) },
      { env: { YEON_PORT: String(port), YEON_ISSUER: baseUrl, ...env } },
    );
    const closeAll = async () => {
      for (const fn of closers) await fn();
    };
    try {
      await built.app.listen({ host: '127.0.0.1', port });
    } catch (err) {
      await closeAll();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      throw err;
    }
    after(closeAll);
    return { ...built, baseUrl };
  }
}

/** Saves a full-page PNG as artifacts/screenshots/<name>.png (artifacts/ is not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name, got ${name}`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
