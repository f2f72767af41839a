/**
 * The console's compact editors on a 1280×800 laptop screen with JavaScript turned off: the
 * consent-item editor of a new app (default items) fits one screen, a changed level and purpose
 * save and come back, and the platform editor saves. Locators are accessible ones (labels, roles),
 * so a control without its own label fails the test.
 * Screenshots go to artifacts/screenshots/console-editors-<step>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const LAPTOP = { viewport: { width: 1280, height: 800 } };
/** Room for a browser's rounding and a one-line notice; the old editor was about 4,900 px. */
const SCREEN_MARGIN = 48;
const t = translator('en');

function pageHeight(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollHeight);
}

/** A control whose accessible name starts with `label` (optional fields add "(optional)"). */
function control(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}(\\s*\\(|$)`));
}

describe('browser: compact consent-item and platform editors', () => {
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

  it('a new app’s consent editor fits 1280×800, and a changed level and purpose are saved; platforms save', async () => {
    const context = await browser.newContext({ ...LAPTOP, javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    const save = async () => {
      await page.getByRole('button', { name: t('common.save'), exact: true }).click();
      const status = page.getByRole('status');
      await status.waitFor();
      assert.equal((await status.textContent())?.trim(), t('console.saved'));
    };
    try {
      await page.goto(`${server.baseUrl}/signup`);
      await page.getByLabel(t('field.email'), { exact: true }).fill('editors@example.com');
      await page.getByLabel(t('field.password'), { exact: true }).fill('purple elephant umbrella');
      await page.getByLabel(t('field.nickname'), { exact: true }).fill('Editor');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForURL('**/account');
      await page.goto(`${server.baseUrl}/developers`);
      await page.getByLabel(t('console.field.name'), { exact: true }).fill('Yeon Shop');
      await page.getByRole('button', { name: t('console.apps.create_submit'), exact: true }).click();
      await page.waitForURL(/\/developers\/apps\/\d+\?done=created$/);
      const appPath = new URL(page.url()).pathname;
      // The overview opens on the dashboard; its chart is one image named by its title.
      await page.getByRole('img', { name: t('console.dashboard.chart_title') }).waitFor();
      await screenshot(page, 'console-editors-0-overview');

      await page.goto(`${server.baseUrl}${appPath}/consent`);
      const height = await pageHeight(page);
      await screenshot(page, 'console-editors-1-consent');
      assert.ok(height <= 800 + SCREEN_MARGIN, `the consent editor is ${height}px tall`);

      // The default item is in the table; the others wait behind "Add an item".
      const nicknameLevel = control(
        page,
        `${t('console.consent.item.profile_nickname')}: ${t('console.editor.consent.col_mode')}`,
      );
      assert.equal(await nicknameLevel.inputValue(), 'required');
      const email = t('console.consent.item.account_email');
      const emailLevel = control(page, `${email}: ${t('console.editor.consent.col_mode')}`);
      assert.equal(await emailLevel.isVisible(), false, 'unused items start folded away');
      await page.getByText(t('console.editor.consent.add', { count: 8 }), { exact: true }).click();
      await emailLevel.selectOption('optional');
      await control(page, `${email}: ${t('console.consent.purpose_ko')}`).fill('주문 알림 발송');
      await control(page, `${email}: ${t('console.consent.purpose_en')}`).fill('Order updates');
      await nicknameLevel.selectOption('optional');
      await control(
        page,
        `${t('console.consent.item.profile_nickname')}: ${t('console.consent.purpose_en')}`,
      ).fill('Greeting you by name');
      await save();

      // Saved: email moved into the table of items in use, with its purpose; nickname changed level.
      assert.equal(await emailLevel.isVisible(), true);
      assert.equal(await emailLevel.inputValue(), 'optional');
      assert.equal(
        await control(page, `${email}: ${t('console.consent.purpose_en')}`).inputValue(),
        'Order updates',
      );
      assert.equal(await nicknameLevel.inputValue(), 'optional');
      assert.equal(
        await control(
          page,
          `${t('console.consent.item.profile_nickname')}: ${t('console.consent.purpose_en')}`,
        ).inputValue(),
        'Greeting you by name',
      );
      assert.ok(
        await page.getByText(t('console.editor.consent.add', { count: 7 }), { exact: true }).isVisible(),
      );
      const saved = await pageHeight(page);
      await screenshot(page, 'console-editors-2-consent-saved');
      assert.ok(
        saved <= 800 + SCREEN_MARGIN * 2,
        `with two items and a notice the editor is ${saved}px tall`,
      );

      // Platforms: one compact row each, saved by one form.
      await page.goto(`${server.baseUrl}${appPath}/platforms`);
      await control(page, t('console.platforms.site_urls')).fill('https://shop.example.com');
      await control(page, t('console.platforms.android_package')).fill('com.example.shop');
      await control(page, t('console.platforms.ios_bundle_id')).fill('com.example.shop');
      await control(page, t('console.platforms.ios_store_url')).fill('https://apps.apple.com/app/id123');
      await save();
      assert.equal(
        await control(page, t('console.platforms.android_package')).inputValue(),
        'com.example.shop',
      );
      assert.equal(
        await control(page, t('console.platforms.android_market_url')).inputValue(),
        'https://play.google.com/store/apps/details?id=com.example.shop',
      );
      assert.equal(
        await control(page, t('console.platforms.ios_store_url')).inputValue(),
        'https://apps.apple.com/app/id123',
      );
      // The whole form, Save included, is on the first 1280×800 screen even with the notice.
      const saveBox = await page.getByRole('button', { name: t('common.save'), exact: true }).boundingBox();
      assert.ok(
        saveBox && saveBox.y + saveBox.height <= 800,
        `Save ends at ${saveBox?.y}+${saveBox?.height}px`,
      );
      await screenshot(page, 'console-editors-3-platforms');
    } finally {
      await context.close();
    }
  });

  it('in Korean the consent editor fits 1280×800 too', async () => {
    const ko = translator('ko');
    const context = await browser.newContext({ ...LAPTOP, javaScriptEnabled: false, locale: 'ko-KR' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByLabel(ko('field.email'), { exact: true }).fill('editors@example.com');
      await page.getByLabel(ko('field.password'), { exact: true }).fill('purple elephant umbrella');
      await page.getByRole('button', { name: ko('login.submit'), exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`${server.baseUrl}/developers`);
      await page
        .getByRole('link', { name: /Yeon Shop/ })
        .first()
        .click();
      await page.waitForURL(/\/developers\/apps\/\d+$/);
      await page.goto(`${page.url()}/consent`);
      await control(
        page,
        `${ko('console.consent.item.account_email')}: ${ko('console.consent.purpose_ko')}`,
      ).waitFor();
      const height = await pageHeight(page);
      await screenshot(page, 'console-editors-4-consent-ko');
      assert.ok(height <= 800 + SCREEN_MARGIN, `the Korean consent editor is ${height}px tall`);
    } finally {
      await context.close();
    }
  });

  it('a wrong purpose shows the form again with the error next to its row, nothing saved', async () => {
    const context = await browser.newContext({ ...LAPTOP, javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByLabel(t('field.email'), { exact: true }).fill('editors@example.com');
      await page.getByLabel(t('field.password'), { exact: true }).fill('purple elephant umbrella');
      await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`${server.baseUrl}/developers`);
      await page
        .getByRole('link', { name: /Yeon Shop/ })
        .first()
        .click();
      await page.waitForURL(/\/developers\/apps\/\d+$/);
      const appPath = new URL(page.url()).pathname;
      await page.goto(`${server.baseUrl}${appPath}/consent`);
      // maxlength stops a person typing more; a crafted request is refused by the service.
      const phone = t('console.consent.item.phone_number');
      await page.getByText(t('console.editor.consent.add', { count: 7 }), { exact: true }).click();
      const purpose = control(page, `${phone}: ${t('console.consent.purpose_en')}`);
      await purpose.evaluate((el) => el.removeAttribute('maxlength'));
      await purpose.fill('x'.repeat(201));
      await control(page, `${phone}: ${t('console.editor.consent.col_mode')}`).selectOption('during_use');
      await page.getByRole('button', { name: t('common.save'), exact: true }).click();
      await page.getByRole('alert').waitFor();
      // The folded table opens by itself, so the error is visible beside its control.
      assert.equal(await purpose.isVisible(), true);
      assert.equal(await purpose.getAttribute('aria-invalid'), 'true');
      const described = (await purpose.getAttribute('aria-describedby')) ?? '';
      assert.ok(described.includes('-error'), described);
      await page.goto(`${server.baseUrl}${appPath}/consent`);
      assert.equal(
        await control(page, `${phone}: ${t('console.editor.consent.col_mode')}`).inputValue(),
        'off',
        'nothing was saved',
      );
    } finally {
      await context.close();
    }
  });
});
