/**
 * The console's API tokens page in a real browser with JavaScript turned off, in Korean and in
 * English: a developer signs up, goes from Developers to API tokens, creates a token that expires
 * in 30 days (picked from the labelled select, where 90 days is preselected), reads it from the
 * page the one time it is shown, with the date it stops working, calls the management API with it
 * (200), sees its last use and expiry date on the list, revokes it, and the API then refuses it
 * (401). Locators are accessible ones (labels, roles, names), so a missing label fails the test.
 * The list and the "new token" page also pass axe-core (WCAG 2.0 A/AA, 2.1 AA: no serious or
 * critical violation) and do not scroll sideways at 360 px (WCAG 2.1 SC 1.4.10 Reflow), though the
 * token is one long word.
 * Screenshots go to artifacts/screenshots/console-tokens-<locale>-<step>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const PASSWORD = 'purple elephant umbrella';
async function signUp(page: Page, baseUrl: string, t: ReturnType<typeof translator>, email: string) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel(t('field.email'), { exact: true }).fill(email);
  await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
  await page.getByLabel(t('field.nickname'), { exact: true }).fill('Dev');
  await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
  await page.waitForURL('**/account');
}

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
    it(`${locale}, phone, no JavaScript: creates a token expiring in 30 days, uses it on the API, sees its last use and expiry, revokes it`, async () => {
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
        await signUp(page, server.baseUrl, t, `tokens-${locale}@example.com`);

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
        const expiry = page.getByLabel(t('tokens.create.expiry'), { exact: true });
        assert.equal(await expiry.inputValue(), '90');
        await expiry.selectOption({ label: t('tokens.expiry.days', { days: 30 }) });
        await page.getByRole('button', { name: t('tokens.create.submit'), exact: true }).click();
        const field = page.getByLabel(t('tokens.created.label', { name }), { exact: true });
        const token = await field.inputValue();
        assert.match(token, /^yeon_dt_[A-Za-z0-9_-]+$/);
        assert.equal(await field.getAttribute('readonly'), '');
        // "It works until <date>." with whatever date the server's clock gives.
        const [before, after] = t('tokens.created.expires', { date: '\u0000' })
          .split('\u0000')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        await page.getByText(new RegExp(`^${before}\\S.*${after}$`)).waitFor();
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
        await row.getByText(t('tokens.list.expires'), { exact: true }).waitFor();
        assert.equal(await row.getByText(t('tokens.list.never_expires'), { exact: true }).count(), 0);
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

    it(`${locale} at 360 px: the list and the new token pass axe-core and do not scroll sideways`, async () => {
      const t = translator(locale);
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
        locale: ACCEPT_LANGUAGE[locale],
        // Our CSP allows no inline script, and axe-core is injected as one (test-only).
        bypassCSP: true,
      });
      const page = await context.newPage();
      const width = () => page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
      try {
        await signUp(page, server.baseUrl, t, `tokens-a11y-${locale}@example.com`);
        await page.goto(`${server.baseUrl}/developers/tokens`);
        await page.getByLabel(new RegExp(`^${t('tokens.create.name')}\\s*\\(`)).fill('CI');
        await page.getByRole('button', { name: t('tokens.create.submit'), exact: true }).click();
        await page.getByLabel(t('tokens.created.label', { name: 'CI' }), { exact: true }).waitFor();
        assert.deepEqual(await seriousViolations(page), [], 'new token page');
        assert.ok((await width()) <= 360, `new token page is ${await width()} px wide`);

        await page.getByRole('link', { name: t('tokens.created.back'), exact: true }).click();
        await page.getByRole('button', { name: t('tokens.revoke'), exact: true }).waitFor();
        assert.deepEqual(await seriousViolations(page), [], 'token list');
        assert.ok((await width()) <= 360, `token list is ${await width()} px wide`);
      } finally {
        await context.close();
      }
    });
  }
});
