/**
 * The live receipt in a real browser (Debian Chromium), JavaScript on, in Korean on a 360-px phone:
 * after Delete All Data the receipt says the app is being told; when the dispatcher reaches the
 * app, the status turns to "오후 5:21:07에 … 전달했습니다" in place (no reload: a marker set on the
 * window survives), the "updates on its own" note goes, and nothing needs sideways scrolling.
 * Screenshots: artifacts/screenshots/receipts-ko-360-<n>-<page>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { translator } from '../../src/i18n/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createDeveloperApp, PASSWORD } from '../connected/fixtures.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { testDispatcher } from '../notifications/helpers.ts';

const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';
const WIDTH = 360;

describe('browser: live receipt', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const hooks = { after: (fn: () => Promise<void>) => cleanups.push(fn) };
  let browser: Browser;
  let server: BrowserServer;

  before(async () => {
    browser = await launchBrowser(hooks.after);
    server = await startBrowserServer(hooks.after);
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  it('ko, 360 px: after Delete All Data the status turns to delivered without a reload', async () => {
    const t = translator('ko');
    const { app } = server;
    const rx = await startReceiver(hooks);
    const owner = await app.services.accounts.signUp({
      email: 'receipt-dev@example.com',
      password: PASSWORD,
      nickname: 'Developer',
    });
    const shop = await createDeveloperApp(app, owner.id, {
      name: '콜백 쇼핑',
      unlink: { callback_url: `${rx.url}/unlink`, method: 'POST', state: 'active' },
    });
    const context = await browser.newContext({
      viewport: { width: WIDTH, height: 780 },
      isMobile: true,
      hasTouch: true,
      userAgent: ANDROID_UA,
      locale: 'ko-KR',
    });
    const page = await context.newPage();
    let step = 0;
    const shot = async (name: string) => {
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      assert.ok(width <= WIDTH, `${name}: ${width}px wide`);
      await screenshot(page, `receipts-ko-360-${++step}-${name}`);
    };
    const url = (path: string) => `${server.baseUrl}${path}`;
    try {
      const email = 'receipt-person@example.com';
      await page.goto(url('/signup'));
      await page.getByLabel(t('field.email'), { exact: true }).fill(email);
      await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByLabel(t('field.nickname'), { exact: true }).fill('Person');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForURL('**/account');
      const person = (await app.services.accounts.getByEmail(email))!;
      await app.services.connections.agree({
        accountId: person.id,
        appId: shop.app_id,
        items: ['profile_nickname'],
      });

      await page.goto(url(`/account/connected-services/${shop.app_id}/delete-all`));
      await page.getByRole('button', { name: t('connected.delete_all.confirm'), exact: true }).click();
      await page.waitForURL(`**/account/connected-services/${shop.app_id}/receipt`);
      const status = page.locator('#receipt-status-0');
      assert.equal(await status.getAttribute('data-state'), 'queued');
      assert.equal((await status.textContent())?.trim(), t('receipts.state.queued', { app: '콜백 쇼핑' }));
      assert.equal(await page.locator('[aria-live="polite"]').count(), 1);
      await shot('queued');
      await page.evaluate('window.__noReload = true');

      // The dispatcher reaches the app; the open page finds out by itself.
      assert.equal((await testDispatcher(app, systemClock).tick()).delivered, 1);
      await page.locator('#receipt-status-0[data-state="delivered"]').waitFor({ timeout: 15_000 });
      assert.equal(await page.evaluate('window.__noReload'), true, 'the page was not reloaded');
      assert.match(
        (await status.textContent())?.trim() ?? '',
        /^오[전후] \d{1,2}:\d{2}:\d{2}에 콜백 쇼핑 서비스에 전달했습니다\.$/,
      );
      assert.equal(await page.locator('#receipt-live-note').count(), 0);
      assert.equal(await page.locator('#receipt').getAttribute('data-final'), 'true');
      await shot('delivered');
      assert.equal(rx.requests.length, 1);
    } finally {
      await context.close();
    }
  });

  it('ko, 360 px, no JavaScript: account deletion lands on the receipt link page, which refreshes itself', async () => {
    const t = translator('ko');
    const { app } = server;
    const owner = await app.services.accounts.signUp({
      email: 'receipt-dev2@example.com',
      password: PASSWORD,
      nickname: 'Developer',
    });
    const shop = await createDeveloperApp(app, owner.id, {
      name: '느린 쇼핑',
      unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
    });
    const context = await browser.newContext({
      viewport: { width: WIDTH, height: 780 },
      isMobile: true,
      javaScriptEnabled: false,
      locale: 'ko-KR',
    });
    const page = await context.newPage();
    const url = (path: string) => `${server.baseUrl}${path}`;
    try {
      const email = 'receipt-leaver@example.com';
      await page.goto(url('/signup'));
      await page.getByLabel(t('field.email'), { exact: true }).fill(email);
      await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByLabel(t('field.nickname'), { exact: true }).fill('Person');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForURL('**/account');
      const person = (await app.services.accounts.getByEmail(email))!;
      await app.services.connections.agree({
        accountId: person.id,
        appId: shop.app_id,
        items: ['profile_nickname'],
      });

      await page.goto(url('/account/delete'));
      assert.equal((await page.locator('#told-apps').textContent())?.trim(), '느린 쇼핑');
      await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByLabel(t('connected.delete.confirm_label')).check();
      await page.getByRole('button', { name: t('connected.delete.submit'), exact: true }).click();
      await page.waitForURL(/\/account\/deleted\/[A-Za-z0-9_-]{43}$/);
      await page.getByRole('heading', { level: 1, name: t('connected.deleted.title') }).waitFor();
      const link = await page.locator('#receipt-link').getAttribute('href');
      assert.equal(link, page.url());
      assert.equal(await page.locator('#receipt-status-0').getAttribute('data-state'), 'queued');
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      assert.ok(width <= WIDTH, `deletion receipt: ${width}px wide`);
      await screenshot(page, 'receipts-ko-360-3-deletion-receipt');

      // Without JavaScript the page reloads itself and shows the new state.
      assert.equal((await testDispatcher(app, systemClock).tick()).retried, 1);
      await page.locator('#receipt-status-0[data-state="retrying"]').waitFor({ timeout: 15_000 });
      assert.match(
        (await page.locator('#receipt-status-0').textContent()) ?? '',
        /느린 쇼핑 서비스에 한 번 알렸지만 아직 전달되지 않았습니다\. .*에 다시 알립니다\./,
      );
      await screenshot(page, 'receipts-ko-360-4-deletion-receipt-retrying');
    } finally {
      await context.close();
    }
  });
});
