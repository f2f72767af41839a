/**
 * The developer console in a real browser, on a phone screen (390×844), in Korean and in English,
 * with JavaScript turned off: sign up, open Developers, create an app, set consent items,
 * platforms and an unlink callback pointing at a loopback receiver, press "Send test
 * notification", and see the result (2xx, latency) on the page — and the receiver got it.
 * Locators are accessible ones (labels, roles, group names), so a missing label fails the test.
 * Screenshots go to artifacts/screenshots/console-<locale>-<step>.png.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const PASSWORD = 'purple elephant umbrella';

/** An optional field: its accessible name is the label plus "(optional)". */
function optionalField(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}\\s*\\(`));
}

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('browser: developer console', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const onClose = (fn: () => Promise<void>) => cleanups.push(fn);
  let browser: Browser;
  let server: BrowserServer;
  let receiverUrl: string;
  const received: Received[] = [];

  before(async () => {
    browser = await launchBrowser(onClose);
    server = await startBrowserServer(onClose);
    // The app's unlink endpoint: a loopback receiver (allowed by the test default allow-list).
    const rx = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok: unlink noted');
      });
    });
    await new Promise<void>((resolve) => rx.listen(0, '127.0.0.1', resolve));
    onClose(() => new Promise<void>((resolve) => rx.close(() => resolve())));
    receiverUrl = `http://127.0.0.1:${(rx.address() as AddressInfo).port}/unlink`;
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}, phone, no JavaScript: creates an app, configures it and sends a test notification`, async () => {
      const t = translator(locale);
      const context = await browser.newContext({
        ...PHONE,
        javaScriptEnabled: false,
        locale: ACCEPT_LANGUAGE[locale],
      });
      const page = await context.newPage();
      let step = 0;
      const shot = (name: string) => screenshot(page, `console-${locale}-${++step}-${name}`);
      const saveAndSeeNotice = async () => {
        await page.getByRole('button', { name: t('common.save'), exact: true }).click();
        const status = page.getByRole('status');
        await status.waitFor();
        assert.equal((await status.textContent())?.trim(), t('console.saved'));
      };
      try {
        await page.goto(`${server.baseUrl}/signup`);
        await page.getByLabel(t('field.email'), { exact: true }).fill(`console-${locale}@example.com`);
        await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await page.getByLabel(t('field.nickname'), { exact: true }).fill(`Dev ${locale}`);
        await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
        await page.waitForURL('**/account');

        // Developers → my apps (empty) → create an app.
        await page.getByRole('link', { name: t('nav.developers'), exact: true }).click();
        await page.waitForURL('**/developers');
        await page.getByRole('heading', { level: 1, name: t('console.apps.title') }).waitFor();
        await shot('apps-empty');
        const appName = locale === 'ko' ? '연 쇼핑' : 'Yeon Shop';
        await page.getByLabel(t('console.field.name'), { exact: true }).fill(appName);
        await optionalField(page, t('console.field.company_name')).fill('Yeon Inc.');
        await page.getByRole('button', { name: t('console.apps.create_submit'), exact: true }).click();
        await page.waitForURL(/\/developers\/apps\/\d+\?done=created$/);
        const appPath = new URL(page.url()).pathname;
        assert.equal((await page.getByRole('status').textContent())?.trim(), t('console.apps.created'));
        const sections = page.getByRole('navigation', { name: t('console.nav.label') });
        assert.equal(
          await sections.getByRole('link', { name: t('console.nav.overview') }).getAttribute('aria-current'),
          'page',
        );
        await page.getByRole('heading', { level: 2, name: t('console.admin.title') }).waitFor();
        await shot('overview');

        // Consent items: email optional with a purpose, phone number during use.
        await sections.getByRole('link', { name: t('console.nav.consent'), exact: true }).click();
        await page.waitForURL(`**${appPath}/consent`);
        const email = t('console.consent.item.account_email');
        const level = (item: string) =>
          page.getByLabel(`${item}: ${t('console.editor.consent.col_mode')}`, { exact: true });
        await page.getByText(t('console.editor.consent.add', { count: 8 }), { exact: true }).click();
        await level(email).selectOption('optional');
        await optionalField(page, `${email}: ${t('console.consent.purpose_ko')}`).fill('주문 알림 발송');
        await optionalField(page, `${email}: ${t('console.consent.purpose_en')}`).fill('Order updates');
        await level(t('console.consent.item.phone_number')).selectOption('during_use');
        await saveAndSeeNotice();
        assert.equal(await level(email).inputValue(), 'optional');
        await shot('consent');

        // Platforms.
        await sections.getByRole('link', { name: t('console.nav.platforms'), exact: true }).click();
        await page.waitForURL(`**${appPath}/platforms`);
        await optionalField(page, t('console.platforms.site_urls')).fill('https://shop.example.com');
        await optionalField(page, t('console.platforms.android_package')).fill('com.example.shop');
        await optionalField(page, t('console.platforms.ios_bundle_id')).fill('com.example.shop');
        await saveAndSeeNotice();
        assert.equal(
          await optionalField(page, t('console.platforms.android_package')).inputValue(),
          'com.example.shop',
        );
        await shot('platforms');

        // Unlink: callback to the loopback receiver, POST; then send a test notification.
        await sections.getByRole('link', { name: t('console.nav.unlink'), exact: true }).click();
        await page.waitForURL(`**${appPath}/unlink`);
        await optionalField(page, t('console.unlink.callback_url')).fill(receiverUrl);
        await page
          .getByRole('group', { name: t('console.unlink.method') })
          .getByLabel('POST')
          .check();
        await saveAndSeeNotice();
        const before = received.length;
        await page.getByRole('button', { name: t('console.unlink.test'), exact: true }).click();
        await page.waitForURL(
          (u) => u.pathname === `${appPath}/unlink` && u.searchParams.get('done') === 'tested',
        );
        const result = page.locator('#test-result');
        await result.waitFor();
        const text = (await result.textContent()) ?? '';
        assert.ok(text.includes(t('console.unlink.result_ok', { status: 200 })), text);
        assert.ok(text.includes(t('console.unlink.result_test')), text);
        assert.match(text, /\d+\s?ms/);
        assert.ok(text.includes('ok: unlink noted'), 'the response excerpt is shown');
        assert.equal(received.length, before + 1, 'the receiver got exactly one request');
        const got = received.at(-1)!;
        assert.equal(got.method, 'POST');
        assert.equal(got.path, '/unlink');
        assert.equal(got.headers['x-yeon-test'], '1');
        assert.equal(new URLSearchParams(got.body).get('app_id'), appPath.split('/').at(-1));
        await result.scrollIntoViewIfNeeded();
        await shot('unlink-test-result');

        await sections.getByRole('link', { name: t('console.nav.members'), exact: true }).click();
        await page.waitForURL(`**${appPath}/members`);
        await shot('members');
      } finally {
        await context.close();
      }
    });
  }
});
