/**
 * The Security page in a real browser (Debian Chromium), JavaScript off, in Korean and English on
 * a 360 px phone: a phone and a second browser sign in; the phone opens Account → Security, sees
 * both, and presses "Sign out everywhere else"; the other browser is signed out. Nothing on the
 * page may need sideways scrolling at 360 px.
 * Screenshots: artifacts/screenshots/security-<locale>-<n>-<page>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PASSWORD = 'correct horse battery';
const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  javaScriptEnabled: false,
};
const LAPTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Whale/4.29.282.14 Safari/537.36',
  javaScriptEnabled: false,
};
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };

async function logIn(page: Page, baseUrl: string, locale: Locale, email: string) {
  const t = translator(locale);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(t('field.email'), { exact: true }).fill(email);
  await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
  await page.waitForURL('**/account');
}

describe('browser: Security page', () => {
  const cleanups: Array<() => Promise<void>> = [];
  let browser: Browser;
  let server: BrowserServer;

  before(async () => {
    browser = await launchBrowser((fn) => cleanups.push(fn));
    server = await startBrowserServer((fn) => cleanups.push(fn));
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}, 360 px phone, no JavaScript: sees both browsers and signs the other one out`, async () => {
      const t = translator(locale);
      const email = `security-${locale}@example.com`;
      await server.app.services.accounts.signUp({ email, password: PASSWORD, nickname: 'Mina' });
      const phone = await (await browser.newContext({ ...PHONE, locale: ACCEPT_LANGUAGE[locale] })).newPage();
      const laptop = await (
        await browser.newContext({ ...LAPTOP, locale: ACCEPT_LANGUAGE[locale] })
      ).newPage();
      let step = 0;
      const shot = async (name: string) => {
        const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
        assert.ok(width <= 360, `${name}: ${width}px wide`);
        await screenshot(phone, `security-${locale}-${++step}-${name}`);
      };
      try {
        await logIn(laptop, server.baseUrl, locale, email);
        await logIn(phone, server.baseUrl, locale, email);

        await phone.getByRole('link', { name: t('security.menu') }).click();
        await phone.waitForURL('**/account/security');
        await phone.getByRole('heading', { level: 1, name: t('security.title') }).waitFor();
        const laptopName = t('security.device', { browser: 'Whale', os: 'Windows' });
        const phoneName = t('security.device', { browser: 'Samsung Internet', os: 'Android' });
        // Each other browser has its own labelled Sign out button; this one has none.
        const signOutLaptop = t('security.sign_out_of', { device: laptopName });
        assert.equal(await phone.getByRole('button', { name: signOutLaptop }).count(), 2);
        assert.equal(
          await phone.getByRole('button', { name: t('security.sign_out_of', { device: phoneName }) }).count(),
          0,
        );
        await shot('page');

        await phone.getByRole('button', { name: t('security.others.button'), exact: true }).click();
        await phone.waitForURL('**/account/security?done=others');
        await phone.getByText(t('security.done.others')).waitFor();
        assert.equal(await phone.getByRole('button', { name: signOutLaptop }).count(), 0);
        await shot('signed-out-elsewhere');

        await laptop.goto(`${server.baseUrl}/account`);
        await laptop.waitForURL('**/login?next=*');
      } finally {
        await phone.context().close();
        await laptop.context().close();
      }
    });
  }
});
