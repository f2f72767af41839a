/**
 * The delivery log in a real browser: sign up, create an app, point its unlink callback at a
 * loopback receiver, press "Send test notification", and find the test in the log, marked as a
 * test, with "Last success" no longer "never"; then filter the log by state with its form.
 * In English with JavaScript on and the browser in Seoul (so the page learns the zone from the
 * yeon_tz cookie timezone.js sets), and in Korean with JavaScript off (the filter is a GET form).
 * Screenshots go to artifacts/screenshots/deliveries-<locale>-<step>.png.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';
import { enqueueUnlinks } from '../notifications/helpers.ts';

const PASSWORD = 'purple elephant umbrella';
const CASES = [
  { locale: 'en', acceptLanguage: 'en-US', javaScriptEnabled: true, zone: 'Asia/Seoul' },
  { locale: 'ko', acceptLanguage: 'ko-KR', javaScriptEnabled: false, zone: 'Asia/Seoul' },
] as const satisfies ReadonlyArray<{ locale: Locale; [k: string]: unknown }>;

/** An optional field: its accessible name is the label plus "(optional)". */
function optionalField(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}\\s*\\(`));
}

describe('browser: delivery log', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const onClose = (fn: () => Promise<void>) => cleanups.push(fn);
  let browser: Browser;
  let server: BrowserServer;
  let receiverUrl: string;

  before(async () => {
    browser = await launchBrowser(onClose);
    server = await startBrowserServer(onClose);
    const rx = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok: noted'));
    });
    await new Promise<void>((resolve) => rx.listen(0, '127.0.0.1', resolve));
    onClose(() => new Promise<void>((resolve) => rx.close(() => resolve())));
    receiverUrl = `http://127.0.0.1:${(rx.address() as AddressInfo).port}/unlink`;
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const c of CASES) {
    it(`${c.locale}, JavaScript ${c.javaScriptEnabled ? 'on' : 'off'}: a test notification is in the log as a test, and the log filters by state`, async () => {
      const t = translator(c.locale);
      const context = await browser.newContext({
        javaScriptEnabled: c.javaScriptEnabled,
        locale: c.acceptLanguage,
        timezoneId: c.zone,
        // Only so axe-core can be injected; the page's own scripts are same-origin files.
        bypassCSP: c.javaScriptEnabled,
      });
      const page = await context.newPage();
      let step = 0;
      const shot = (name: string) => screenshot(page, `deliveries-${c.locale}-${++step}-${name}`);
      try {
        await page.goto(`${server.baseUrl}/signup`);
        await page.getByLabel(t('field.email'), { exact: true }).fill(`deliveries-${c.locale}@example.com`);
        await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await page.getByLabel(t('field.nickname'), { exact: true }).fill(`Dev ${c.locale}`);
        await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
        await page.waitForURL('**/account');

        await page.goto(`${server.baseUrl}/developers`);
        await page.getByLabel(t('console.field.name'), { exact: true }).fill('Yeon Shop');
        await page.getByRole('button', { name: t('console.apps.create_submit'), exact: true }).click();
        await page.waitForURL(/\/developers\/apps\/\d+\?done=created$/);
        const appPath = new URL(page.url()).pathname;
        const appId = Number(appPath.split('/').at(-1));
        const sections = page.getByRole('navigation', { name: t('console.nav.label') });

        await sections.getByRole('link', { name: t('console.nav.unlink'), exact: true }).click();
        await page.waitForURL(`**${appPath}/unlink`);
        await optionalField(page, t('console.unlink.callback_url')).fill(receiverUrl);
        await page.getByRole('button', { name: t('common.save'), exact: true }).click();
        await page.getByRole('status').waitFor();

        // Before the test: never a success.
        await sections.getByRole('link', { name: t('console.nav.deliveries'), exact: true }).click();
        await page.waitForURL(`**${appPath}/deliveries`);
        const lastSuccess = page
          .locator('dt', { hasText: t('deliveries.health.last_success') })
          .locator('+ dd');
        assert.equal((await lastSuccess.textContent())?.trim(), t('deliveries.never'));

        await sections.getByRole('link', { name: t('console.nav.unlink'), exact: true }).click();
        await page.getByRole('button', { name: t('console.unlink.test'), exact: true }).click();
        await page.waitForURL((u) => u.searchParams.get('done') === 'tested');
        await page.locator('#test-result').waitFor();

        // A real notification waiting, so the filter has something to tell apart.
        const [queuedId] = await enqueueUnlinks(server.db, appId, 1, Date.now(), { appUserId: 4242 });

        await sections.getByRole('link', { name: t('console.nav.deliveries'), exact: true }).click();
        await page.waitForURL(`**${appPath}/deliveries`);
        const items = page.locator('li.delivery');
        assert.equal(await items.count(), 2);
        const test = items.filter({
          has: page.locator('mark', { hasText: t('deliveries.item.test_badge') }),
        });
        assert.equal(await test.count(), 1, 'the test is marked as a test');
        assert.match((await test.getAttribute('id')) ?? '', /^test_/);
        assert.ok(((await test.textContent()) ?? '').includes(t('deliveries.state.delivered')));
        const success = (await lastSuccess.textContent())?.trim() ?? '';
        assert.notEqual(success, t('deliveries.never'), 'the test 2xx is the last success');
        assert.match(success, /\d{1,2}:\d{2}:\d{2}/, 'to the second');
        await page.getByText(t('deliveries.times_zone', { zone: c.zone })).waitFor();
        await shot('log');

        // Filter by state: Queued shows the waiting notification only, Delivered the test only.
        const state = optionalField(page, t('deliveries.filter.state'));
        await state.selectOption('queued');
        await page.getByRole('button', { name: t('deliveries.filter.apply'), exact: true }).click();
        await page.waitForURL((u) => u.searchParams.get('state') === 'queued');
        assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.id)), [queuedId]);
        assert.equal(await state.inputValue(), 'queued', 'the form shows the filter in use');
        if (c.javaScriptEnabled)
          assert.deepEqual(await seriousViolations(page), [], 'the filtered log is accessible');
        await shot('queued');

        await state.selectOption('delivered');
        await page.getByRole('button', { name: t('deliveries.filter.apply'), exact: true }).click();
        await page.waitForURL((u) => u.searchParams.get('state') === 'delivered');
        assert.equal(await items.count(), 1);
        assert.equal(await test.count(), 1);

        await page.getByRole('link', { name: t('deliveries.filter.clear'), exact: true }).click();
        await page.waitForURL(`**${appPath}/deliveries`);
        assert.equal(await items.count(), 2);
      } finally {
        await context.close();
      }
    });
  }
});
