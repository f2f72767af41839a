/**
 * The connection history in a real browser (Debian Chromium), Korean, on a 360-px phone with
 * JavaScript off: Manage Connected Services → the history page, where an app with a long name, a
 * withdrawn and re-agreed item, repeated deletions and a long receipt code are told in one group
 * without sideways scrolling. Screenshots: artifacts/screenshots/history-ko-360-<n>-<page>.png.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { translator } from '../../src/i18n/index.ts';
import { createDeveloperApp, PASSWORD } from '../connected/fixtures.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; SM-S911N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';
const WIDTH = 360;

describe('browser: connection history', () => {
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

  it('Korean, 360 px, no JavaScript: the grouped history fits the screen', async () => {
    const t = translator('ko');
    const { app, db } = server;
    const owner = await app.services.accounts.signUp({
      email: 'history-developer@example.com',
      password: PASSWORD,
      nickname: 'Developer',
    });
    const name = '아주긴이름을가진온라인쇼핑몰서비스주식회사공식앱';
    const shop = await createDeveloperApp(app, owner.id, {
      name,
      company_name: '아주긴이름을가진온라인쇼핑몰서비스주식회사',
      unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
    });
    const context = await browser.newContext({
      viewport: { width: WIDTH, height: 780 },
      isMobile: true,
      hasTouch: true,
      userAgent: ANDROID_UA,
      javaScriptEnabled: false,
      locale: 'ko-KR',
    });
    const page = await context.newPage();
    let step = 0;
    const shot = async (name: string) => {
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      assert.ok(width <= WIDTH, `${name}: ${width}px wide`);
      await screenshot(page, `history-ko-360-${++step}-${name}`);
    };
    const url = (path: string) => `${server.baseUrl}${path}`;
    const email = 'history-person@example.com';
    try {
      await page.goto(url('/signup'));
      await page.getByLabel(t('field.email'), { exact: true }).fill(email);
      await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByLabel(t('field.nickname'), { exact: true }).fill('사람');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForURL('**/account');
      const person = (await app.services.accounts.getByEmail(email))!;
      const both = ['profile_nickname', 'account_email'];
      const link = { accountId: person.id, appId: shop.app_id };
      await app.services.connections.agree({ ...link, items: both });
      await app.services.connections.withdraw({ ...link, item: 'account_email' });
      await app.services.connections.agree({ ...link, items: ['account_email'] });
      await app.services.connections.unlink({ ...link, by: 'delete_all' });
      await app.services.connections.agree({ ...link, items: both });
      const last = await app.services.connections.unlink({ ...link, by: 'delete_all' });
      await db
        .updateTable('notifications')
        .set({
          deletion_confirmed_at: Date.now(),
          deletion_confirmation_code: `DELETION-${'0123456789'.repeat(6)}`,
          deletion_status_url:
            'https://shop.example/deletion/status/0123456789012345678901234567890123456789',
        })
        .where('id', '=', last.notificationId!)
        .execute();
      await app.services.connections.agree({ ...link, items: both });

      await page.goto(url('/account/connected-services'));
      await page.getByRole('heading', { level: 2, name: t('connected.previous.title') }).waitFor();
      await shot('list');
      await page.getByRole('link', { name: t('history.link') }).click();
      await page.waitForURL('**/account/history');
      await page.getByRole('heading', { level: 1, name: t('history.title') }).waitFor();
      const groups = page.locator('#app-history > li');
      assert.equal(await groups.count(), 1);
      const group = groups.first();
      assert.ok(
        await group.getByText(t('history.event.linked_first', { app: name }), { exact: false }).isVisible(),
      );
      assert.ok(
        await group.getByText(t('history.event.unlinked.delete_all'), { exact: false }).first().isVisible(),
      );
      assert.ok(await page.getByRole('link', { name: t('history.download.csv') }).isVisible());
      await shot('history');
    } finally {
      await context.close();
    }
  });

  it('the history download is offered on the account page itself', async () => {
    const t = translator('ko');
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 780 }, locale: 'ko-KR' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/signup`);
      await page.getByLabel(t('field.email'), { exact: true }).fill('history-account-page@example.com');
      await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
      await page.getByLabel(t('field.nickname'), { exact: true }).fill('사람');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForURL('**/account');
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('history.download.csv') }).click(),
      ]);
      assert.match(csv.suggestedFilename(), /^yeon-history-\d{8}\.csv$/);
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('history.download.json') }).click(),
      ]);
      const path = await json.path();
      const data = JSON.parse(await readFile(path, 'utf8')) as { format: string };
      assert.equal(data.format, 'yeon-history/1');
    } finally {
      await context.close();
    }
  });
});
