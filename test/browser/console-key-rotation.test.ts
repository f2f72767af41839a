/**
 * Reissuing a key on the console's overview page in a real browser with JavaScript turned off, in
 * Korean and in English: the owner picks the admin key and a one-hour overlap by their labels,
 * reissues, sees the replaced key with "works until …", and stops it with its button; the old key
 * is then refused by the Kakao API (-401) and the new one works. Locators are accessible ones
 * (labels, roles, names), so a missing label fails the test; the page with a replaced key passes
 * axe-core (WCAG 2.0 A/AA, 2.1 AA: no serious or critical violation) and does not scroll sideways
 * at 360 px (WCAG 2.1 SC 1.4.10 Reflow).
 * Screenshots go to artifacts/screenshots/console-key-rotation-<locale>-<step>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

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

describe('browser: console key reissue', () => {
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

  const appUsers = (adminKey: string) =>
    fetch(`${server.baseUrl}/v2/app/users?target_id_type=user_id&target_ids=[1]`, {
      headers: { authorization: `KakaoAK ${adminKey}` },
    });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}, no JavaScript: reissues the admin key with a one-hour overlap, then stops the old key`, async () => {
      const t = translator(locale);
      const context = await browser.newContext({ javaScriptEnabled: false, locale: ACCEPT_LANGUAGE[locale] });
      const page = await context.newPage();
      let step = 0;
      const shot = (name: string) => screenshot(page, `console-key-rotation-${locale}-${++step}-${name}`);
      try {
        const email = `rotate-${locale}@example.com`;
        await signUp(page, server.baseUrl, t, email);
        const account = await server.db
          .selectFrom('accounts')
          .select('id')
          .where('email_normalized', '=', email)
          .executeTakeFirstOrThrow();
        const created = await server.app.services.apps.createApp(
          { accountId: account.id },
          { name: 'Rotation app', redirect_uris: ['https://rp.example/cb'] },
        );
        await page.goto(`${server.baseUrl}/developers/apps/${created.app_id}`);

        await page.getByRole('radio', { name: t('console.rotation.kind_admin'), exact: true }).check();
        await page.getByRole('radio', { name: t('console.rotation.overlap_1h'), exact: true }).check();
        await shot('choose');
        await page.getByRole('button', { name: t('console.rotation.submit'), exact: true }).click();
        await page.waitForURL('**done=key_rotated**');
        await page.getByText(t('console.rotation.rotated')).waitFor();
        const list = page.getByRole('list', { name: t('console.rotation.previous_title') });
        await list.getByText(created.admin_key).waitFor();
        assert.match(
          (await list.textContent()) ?? '',
          new RegExp(t('console.rotation.works_until', { date: '.+' })),
        );
        await shot('rotated');
        // The same signed-in page with a replaced key, in a script-enabled 360 px browser: axe-core
        // is injected as an inline script, which our CSP forbids (test-only bypass).
        const checker = await browser.newContext({
          viewport: { width: 360, height: 740 },
          locale: ACCEPT_LANGUAGE[locale],
          bypassCSP: true,
        });
        try {
          await checker.addCookies(await context.cookies());
          const a11y = await checker.newPage();
          await a11y.goto(page.url());
          await a11y.getByRole('button', { name: t('console.rotation.stop'), exact: true }).waitFor();
          assert.deepEqual(await seriousViolations(a11y), []);
          const width = await a11y.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
          assert.ok(width <= 360, `the overview page is ${width} px wide`);
        } finally {
          await checker.close();
        }
        assert.equal((await appUsers(created.admin_key)).status, 200);

        await list.getByRole('button', { name: t('console.rotation.stop'), exact: true }).click();
        await page.waitForURL('**done=key_stopped**');
        await page.getByText(t('console.rotation.stopped')).waitFor();
        assert.equal(await page.getByText(created.admin_key).count(), 0);
        await shot('stopped');
        const refused = await appUsers(created.admin_key);
        assert.equal(refused.status, 401);
        assert.equal(((await refused.json()) as { code: number }).code, -401);
        const current = (
          await server.app.services.apps.listAppKeys({ accountId: account.id }, created.app_id)
        )
          .filter((k) => k.kind === 'admin')
          .map((k) => k.key);
        assert.equal(current.length, 1);
        assert.equal((await appUsers(current[0]!)).status, 200);
      } finally {
        await context.close();
      }
    });
  }
});
