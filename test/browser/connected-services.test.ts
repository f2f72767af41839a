/**
 * Manage Connected Services in a real browser (Debian Chromium), JavaScript off, in Korean and
 * English, on a phone (390×844, Android user agent) and a desktop: Account → Manage Connected
 * Services, withdraw an optional consent (confirmed with the keyboard), case 1 Delete All Data,
 * case 2 Delete All Data (open-app button by device) and Disconnect, then delete the account.
 * Afterwards the database holds exactly the right notification rows and no OAuth row of the person.
 * Screenshots: artifacts/screenshots/connected-<locale>-<device>-<n>-<page>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { CASE2_PLATFORMS, createDeveloperApp, notificationsOf, PASSWORD } from '../connected/fixtures.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';
import { mintAccessToken } from '../kakao/helpers.ts';

const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';
const DEVICES: Record<'mobile' | 'desktop', BrowserContextOptions> = {
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, userAgent: ANDROID_UA },
  desktop: { viewport: { width: 1280, height: 900 } },
};
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };

describe('browser: Manage Connected Services', () => {
  const cleanups: Array<() => Promise<void>> = [];
  let browser: Browser;
  let server: BrowserServer;
  let ownerId: string;

  before(async () => {
    browser = await launchBrowser((fn) => cleanups.push(fn));
    server = await startBrowserServer((fn) => cleanups.push(fn));
    const owner = await server.app.services.accounts.signUp({
      email: 'developer@example.com',
      password: PASSWORD,
      nickname: 'Developer',
    });
    ownerId = owner.id;
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const locale of ['ko', 'en'] as const) {
    for (const device of ['mobile', 'desktop'] as const) {
      it(`${locale}, ${device}, no JavaScript: withdraw, case 1, case 2 (both buttons), delete the account`, async () => {
        const t = translator(locale);
        const { app, db } = server;
        const name2 = locale === 'ko' ? '조용한 쇼핑' : 'Quiet Shop';
        const case1 = await createDeveloperApp(app, ownerId, {
          name: locale === 'ko' ? '콜백 쇼핑' : 'Callback Shop',
          unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
        });
        const case2 = await createDeveloperApp(app, ownerId, {
          name: name2,
          platforms: CASE2_PLATFORMS,
        });
        const context = await browser.newContext({
          ...DEVICES[device],
          javaScriptEnabled: false,
          locale: ACCEPT_LANGUAGE[locale],
        });
        const page = await context.newPage();
        let step = 0;
        const shot = async (name: string) => {
          // Mobile first: nothing may need sideways scrolling at 390 px.
          const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
          assert.ok(width <= (DEVICES[device].viewport?.width ?? 0), `${name}: ${width}px wide`);
          await screenshot(page, `connected-${locale}-${device}-${++step}-${name}`);
        };
        const url = (path: string) => `${server.baseUrl}${path}`;
        const email = `person-${locale}-${device}@example.com`;
        try {
          await page.goto(url('/signup'));
          await page.getByLabel(t('field.email'), { exact: true }).fill(email);
          await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
          await page.getByLabel(t('field.nickname'), { exact: true }).fill('Person');
          await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
          await page.waitForURL('**/account');
          const person = (await app.services.accounts.getByEmail(email))!;
          const items = ['profile_nickname', 'account_email'];
          for (const a of [case1, case2])
            await app.services.connections.agree({ accountId: person.id, appId: a.app_id, items });
          const token = await mintAccessToken(app, person.id, case1);
          assert.ok(token);

          // Account → Account use → Manage Connected Services.
          await page.getByRole('link', { name: t('connected.menu') }).click();
          await page.waitForURL('**/account/connected-services');
          await page.getByRole('heading', { level: 1, name: t('connected.title') }).waitFor();
          await shot('list');

          // Detail of the case-1 app, then withdraw the optional email item (keyboard).
          await page.locator(`a[href="/account/connected-services/${case1.app_id}"]`).click();
          await page.getByRole('heading', { level: 2, name: t('connected.detail.items') }).waitFor();
          await shot('detail-case1');
          const emailItem = t('interaction.item.account_email');
          await page
            .getByRole('link', { name: t('connected.detail.withdraw_label', { item: emailItem }) })
            .click();
          await page.getByRole('heading', { level: 1, name: t('connected.withdraw.title') }).waitFor();
          await shot('withdraw-confirm');
          await page.getByRole('button', { name: t('connected.withdraw.confirm'), exact: true }).focus();
          await page.keyboard.press('Enter');
          await page.waitForURL(/\?withdrawn=account_email$/);
          assert.equal(
            (await page.getByRole('status').textContent())?.trim(),
            t('connected.withdrawn', { item: emailItem }),
          );
          await shot('withdrawn');

          // Case 1: only Delete All Data.
          assert.equal(await page.getByRole('link', { name: t('connected.detail.disconnect') }).count(), 0);
          await page.getByRole('link', { name: t('connected.detail.delete_all'), exact: true }).click();
          await page.getByRole('heading', { level: 1, name: t('connected.delete_all.title') }).waitFor();
          await shot('delete-all-confirm');
          await page.getByRole('button', { name: t('connected.delete_all.confirm'), exact: true }).click();
          await page.waitForURL(/\/account\/connected-services\/\d+\/receipt$/);
          await page.getByRole('link', { name: t('receipts.back') }).click();
          await page.getByRole('heading', { level: 2, name: t('connected.previous.title') }).waitFor();
          await shot('unlinked-case1');

          // Case 2: Delete All Data → leave in person (the button fits the device) → back → Disconnect.
          await page.locator(`a[href="/account/connected-services/${case2.app_id}"]`).click();
          await shot('detail-case2');
          await page.getByRole('link', { name: t('connected.detail.delete_all'), exact: true }).click();
          const href = await page
            .getByRole('link', { name: t('connected.leave.open', { app: name2 }), exact: true })
            .getAttribute('href');
          if (device === 'mobile')
            assert.match(href ?? '', /^intent:\/\/open#Intent;.*package=com\.example\.shop;/);
          else assert.equal(href, 'https://shop.example/leave');
          await shot('leave-in-person');
          await page.getByRole('link', { name: t('connected.back_to_app', { app: name2 }) }).click();
          await page.getByRole('link', { name: t('connected.detail.disconnect'), exact: true }).click();
          await page.getByRole('heading', { level: 1, name: t('connected.disconnect.title') }).waitFor();
          await shot('disconnect-confirm');
          await page.getByRole('button', { name: t('connected.disconnect.confirm'), exact: true }).click();
          await page.waitForURL(/\?unlinked=\d+$/);
          assert.equal(await page.locator('#connected-apps').count(), 0);
          await shot('history');

          const n1 = await notificationsOf(db, case1.app_id);
          assert.deepEqual(
            n1.map((r) => r.referrer_type),
            ['UNLINK_FROM_APPS'],
          );
          assert.deepEqual(await notificationsOf(db, case2.app_id), []);

          // Account deletion: password again + checkbox → goodbye.
          await page.goto(url('/account'));
          await page.getByRole('link', { name: t('connected.delete.menu') }).click();
          await page.getByRole('heading', { level: 1, name: t('connected.delete.title') }).waitFor();
          await shot('delete-account');
          await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
          await page.getByLabel(t('connected.delete.confirm_label')).check();
          await page.getByRole('button', { name: t('connected.delete.submit'), exact: true }).click();
          await page.waitForURL('**/account/deleted');
          await page.getByRole('heading', { level: 1, name: t('connected.deleted.title') }).waitFor();
          await shot('goodbye');
          assert.equal(await app.services.accounts.getById(person.id), undefined);
          const oauth = await db
            .selectFrom('oidc_payloads')
            .select('id')
            .where('account_id', '=', person.id)
            .execute();
          assert.deepEqual(oauth, []);
          // Both links had already ended: account deletion had nothing left to notify.
          assert.deepEqual(
            (await notificationsOf(db, case1.app_id)).map((r) => r.referrer_type),
            ['UNLINK_FROM_APPS'],
          );
        } finally {
          await context.close();
        }
      });
    }
  }
});
