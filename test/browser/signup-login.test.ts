/**
 * Sign-up and log-in: a real browser signs up and logs in, in Korean and in English, on a phone
 * (390×844, the design width) and a desktop screen, and screenshots every page it sees into
 * artifacts/screenshots/. Locators are accessible ones (getByLabel / getByRole), so a missing label
 * or an unnamed button fails the test. Strings come from the message tables, never from here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const VIEWPORTS = {
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
} satisfies Record<string, BrowserContextOptions>;

const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const PASSWORD = 'purple elephant umbrella';

/** What has keyboard focus, read in the page (evaluated as a string: our tsconfig has no DOM lib). */
async function focused(page: Page): Promise<{ tag: string; id: string; text: string }> {
  return page.evaluate(
    '({ tag: document.activeElement?.tagName ?? "", id: document.activeElement?.id ?? "", text: (document.activeElement?.textContent ?? "").trim() })',
  );
}

async function htmlLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** An optional field: its accessible name is the label plus "(optional)", e.g. "Name (optional)". */
function optionalField(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}\\s*\\(`));
}

function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

describe('browser: sign-up, profile, logout and login', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const onClose = (fn: () => Promise<void>) => cleanups.push(fn);
  let browser: Browser;
  let server: BrowserServer;

  before(async () => {
    browser = await launchBrowser(onClose);
    server = await startBrowserServer(onClose);
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const locale of ['ko', 'en'] as const) {
    for (const [screen, options] of Object.entries(VIEWPORTS)) {
      it(`${locale}, ${screen}: signs up, edits the profile, logs out, refuses a wrong password, logs in again`, async () => {
        const t = translator(locale);
        const context = await browser.newContext({ ...options, locale: ACCEPT_LANGUAGE[locale] });
        const page = await context.newPage();
        let step = 0;
        const shot = (name: string) => screenshot(page, `${locale}-${screen}-${++step}-${name}`);
        const email = `browser-${locale}-${screen}@example.com`;
        try {
          // Home: the language comes from Accept-Language; the first Tab stop is the skip link.
          await page.goto(`${server.baseUrl}/`);
          assert.equal(await htmlLang(page), locale);
          await page.keyboard.press('Tab');
          assert.deepEqual(await focused(page), { tag: 'A', id: '', text: t('nav.skip') });
          await shot('home-skip-link');
          await page.keyboard.press('Enter');
          assert.equal((await focused(page)).id, 'main', 'the skip link moves focus to the main content');

          // Sign up.
          await page.getByRole('link', { name: t('nav.signup'), exact: true }).click();
          await page.waitForURL('**/signup');
          await page.getByRole('heading', { level: 1, name: t('signup.title') }).waitFor();
          await shot('signup');
          await page.getByLabel(t('field.email'), { exact: true }).fill(email);
          await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
          await page.getByLabel(t('field.nickname'), { exact: true }).fill(`Mina ${screen}`);
          await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
          await page.waitForURL('**/account');
          await page.getByRole('heading', { level: 1, name: t('account.title') }).waitFor();
          assert.ok(
            (await page.locator('main').textContent())?.includes(email),
            'the account page shows the email',
          );
          await shot('account');

          // Edit optional profile fields (labels read "Name (optional)" etc.).
          const nameField = optionalField(page, t('field.name'));
          await nameField.fill('김민아 Kim');
          await optionalField(page, t('field.gender')).selectOption('female');
          const birthDate = page.getByLabel(t('profile.birth_date.label'));
          await birthDate.fill('1994-09-15');
          await page.getByRole('button', { name: t('common.save'), exact: true }).click();
          await page.waitForURL('**/account?saved=1');
          assert.equal((await page.getByRole('status').textContent())?.trim(), t('account.saved'));
          assert.equal(await nameField.inputValue(), '김민아 Kim');
          assert.equal(await birthDate.inputValue(), '1994-09-15');
          await shot('account-saved');

          // Log out: the session ends and the login page says so.
          await page.getByRole('button', { name: t('nav.logout'), exact: true }).click();
          await page.waitForURL('**/login?logged_out=1');
          assert.equal((await page.getByRole('status').textContent())?.trim(), t('logout.done'));
          assert.equal(
            (await context.cookies()).find((c) => c.name === 'yeon_session'),
            undefined,
          );
          await shot('login-logged-out');

          // A wrong password shows the error and keeps the email.
          await page.getByLabel(t('field.email'), { exact: true }).fill(email);
          await page.getByLabel(t('field.password'), { exact: true }).fill('not my password at all');
          await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
          const alert = page.getByRole('alert');
          await alert.waitFor();
          assert.equal((await alert.textContent())?.trim(), t('error.invalid_credentials'));
          assert.equal(pathOf(page), '/login');
          assert.equal(await page.getByLabel(t('field.email'), { exact: true }).inputValue(), email);
          await shot('login-error');

          // Log in again with "Keep me signed in": the session cookie now outlives the browser.
          await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
          await page.getByLabel(t('login.remember')).check();
          await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
          await page.waitForURL('**/account');
          await page.getByRole('heading', { level: 1, name: t('account.title') }).waitFor();
          const session = (await context.cookies()).find((c) => c.name === 'yeon_session');
          assert.ok(session, 'signed in again');
          assert.ok(
            session.expires > Date.now() / 1000 + 29 * 86_400,
            `"keep me signed in" gives a persistent cookie (expires ${session.expires})`,
          );
          await shot('account-signed-in-again');
        } finally {
          await context.close();
        }
      });
    }
  }

  it('switches language with a plain link, remembered in a cookie, with JavaScript off', async () => {
    const en = translator('en');
    const ko = translator('ko');
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/login`);
      assert.equal(await htmlLang(page), 'en');
      await page.getByRole('heading', { level: 1, name: en('login.title') }).waitFor();
      await screenshot(page, 'nojs-1-login-en');

      await page.getByRole('link', { name: `${en('nav.language')}: ${en('lang.ko')}` }).click();
      await page.waitForURL('**/login');
      assert.equal(await htmlLang(page), 'ko');
      await page.getByRole('heading', { level: 1, name: ko('login.title') }).waitFor();
      await screenshot(page, 'nojs-2-login-ko');

      // The choice outlives the page and beats the browser's Accept-Language: forms work too.
      await page.goto(`${server.baseUrl}/signup`);
      assert.equal(await htmlLang(page), 'ko');
      await page.getByLabel(ko('field.email'), { exact: true }).fill('nojs@example.com');
      await page.getByLabel(ko('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByLabel(ko('field.nickname'), { exact: true }).fill('자바스크립트없음');
      await page.getByRole('button', { name: ko('signup.submit'), exact: true }).click();
      await page.waitForURL('**/account');
      await page.getByRole('heading', { level: 1, name: ko('account.title') }).waitFor();
      await screenshot(page, 'nojs-3-account-ko');

      await page.getByRole('link', { name: `${ko('nav.language')}: ${ko('lang.en')}` }).click();
      await page.waitForURL('**/account');
      assert.equal(await htmlLang(page), 'en');
      await page.getByRole('heading', { level: 1, name: en('account.title') }).waitFor();
      await screenshot(page, 'nojs-4-account-en');
    } finally {
      await context.close();
    }
  });
});
