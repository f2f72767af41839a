/**
 * The console's API tokens page in a real browser with JavaScript turned off, in Korean and in
 * English: a developer signs up, goes from Developers to API tokens, creates a token, reads it
 * from the page the one time it is shown, calls the management API with it (200), sees its last
 * use on the list, revokes it, and the API then refuses it (401). Locators are accessible ones
 * (labels, roles, names), so a missing label fails the test.
 * Screenshots go to artifacts/screenshots/console-tokens-<locale>-<step>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const PASSWORD = 'purple elephant umbrella';

describe('browser: console API tokens', () => {
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

  const callApi = (token: string) =>
    fetch(`${server.baseUrl}/api/v1/apps`, { headers: { authorization: `Bearer ${token}` } });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}, phone, no JavaScript: creates a token, uses it on the API, sees its last use, revokes it`, async () => {
      const t = translator(locale);
      const context = await browser.newContext({
        ...PHONE,
        javaScriptEnabled: false,
        locale: ACCEPT_LANGUAGE[locale],
      });
      const page = await context.newPage();
      let step = 0;
      const shot = (name: string) => screenshot(page, `console-tokens-${locale}-${++step}-${name}`);
      try {
        await page.goto(`${server.baseUrl}/signup`);
        await page.getByLabel(t('field.email'), { exact: true }).fill(`tokens-${locale}@example.com`);
        await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await page.getByLabel(t('field.nickname'), { exact: true }).fill(`Dev ${locale}`);
        await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
        await page.waitForURL('**/account');

        // Developers → API tokens, through the console's own navigation.
        await page.getByRole('link', { name: t('nav.developers'), exact: true }).click();
        await page.waitForURL('**/developers');
        const consoleNav = page.getByRole('navigation', { name: t('tokens.nav_label'), exact: true });
        await consoleNav.getByRole('link', { name: t('tokens.title'), exact: true }).click();
        await page.waitForURL('**/developers/tokens');
        await page.getByRole('heading', { level: 1, name: t('tokens.title') }).waitFor();
        await page.getByText(t('tokens.list.empty'), { exact: true }).waitFor();
        await shot('empty');

        // Create: the token is on the page once, in a labelled read-only field.
        const name = locale === 'ko' ? '배포 스크립트' : 'Deploy script';
        await page.getByLabel(new RegExp(`^${t('tokens.create.name')}\\s*\\(`)).fill(name);
        await page.getByRole('button', { name: t('tokens.create.submit'), exact: true }).click();
        const field = page.getByLabel(t('tokens.created.label', { name }), { exact: true });
        const token = await field.inputValue();
        assert.match(token, /^yeon_dt_[A-Za-z0-9_-]+$/);
        assert.equal(await field.getAttribute('readonly'), '');
        await shot('created');

        const used = await callApi(token);
        assert.equal(used.status, 200);
        assert.ok(Array.isArray(((await used.json()) as { apps?: unknown }).apps));

        // Back to the list: the token's value is gone, its last use is there.
        await page.getByRole('link', { name: t('tokens.created.back'), exact: true }).click();
        await page.waitForURL('**/developers/tokens');
        assert.ok(!(await page.content()).includes(token), 'the list shows the token again');
        const row = page.getByRole('listitem').filter({ hasText: name });
        await row.getByText(t('tokens.list.last_used'), { exact: true }).waitFor();
        assert.equal(await row.getByText(t('tokens.list.never_used'), { exact: true }).count(), 0);
        await row.getByText(t('tokens.list.never_expires'), { exact: true }).waitFor();
        await shot('listed');

        // Revoke: the API refuses the token at once.
        await row.getByRole('button', { name: t('tokens.revoke'), exact: true }).click();
        await page.waitForURL('**/developers/tokens?done=revoked');
        assert.equal((await page.getByRole('status').textContent())?.trim(), t('tokens.revoked'));
        await page.getByText(t('tokens.list.empty'), { exact: true }).waitFor();
        await shot('revoked');
        assert.equal((await callApi(token)).status, 401);
      } finally {
        await context.close();
      }
    });
  }
});
