/**
 * Email confirmation in a real browser: Chromium signs up on a 360-px phone screen, the
 * confirmation mail goes through the real dispatcher to a real SMTP server on loopback, Chromium
 * opens the link and presses Confirm, and an app's `/v2/user/me` then says is_email_verified: true.
 * The Show password switch, which only its script reveals, changes the field's type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { translator } from '../../src/i18n/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createMailDispatcher } from '../../src/modules/mail/mail-dispatcher.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';
import { TEST_DB } from '../helpers/test-db.ts';
import { createKakaoApp, kapi, link, mintAccessToken } from '../kakao/helpers.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../mail/smtp-receiver.ts';

const PASSWORD = 'purple elephant umbrella';
const EMAIL = 'chromium@example.com';

describe('browser: email confirmation', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const onClose = (fn: () => Promise<void>) => cleanups.push(fn);
  let browser: Browser;
  let server: BrowserServer;
  let receiver: SmtpReceiver;

  before(async () => {
    browser = await launchBrowser(onClose);
    server = await startBrowserServer(onClose);
    receiver = await startSmtpReceiver();
    onClose(() => receiver.close());
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  it('the link clicked in Chromium confirms the address, and /v2/user/me says is_email_verified: true', async () => {
    const t = translator('ko');
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      locale: 'ko-KR',
      extraHTTPHeaders: { 'accept-language': 'ko-KR' },
    });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/signup`);
    await page.getByLabel(t('field.email'), { exact: true }).fill(EMAIL);
    const password = page.getByLabel(t('field.password'), { exact: true });
    await password.fill(PASSWORD);
    // The switch is hidden in the HTML and shown by its script; it changes only the field's type.
    const show = page.getByLabel(t('recovery.show_password'));
    await show.check();
    assert.equal(await password.getAttribute('type'), 'text');
    await show.uncheck();
    assert.equal(await password.getAttribute('type'), 'password');
    await page.getByLabel(t('field.nickname'), { exact: true }).fill('크롬');
    await page.getByRole('button', { name: t('signup.submit') }).click();
    await page.waitForURL(`${server.baseUrl}/account`);
    await page.getByText(t('recovery.email.unverified')).waitFor();
    await screenshot(page, 'ko-360-account-unverified');

    const account = (await server.app.services.accounts.getByEmail(EMAIL))!;
    const client = await createKakaoApp(server.app);
    await link(server.app, account.id, client, ['profile_nickname', 'account_email']);
    const token = await mintAccessToken(server.app, account.id, client);
    const me = async () => (await kapi(server.app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.equal((await me()).kakao_account.is_email_verified, false);

    const dispatcher = createMailDispatcher({
      db: server.db,
      dbKind: TEST_DB,
      clock: systemClock,
      smtpUrl: receiver.url,
      from: '"yeon" <no-reply@example.com>',
      platformName: server.config.platformName,
      issuer: server.config.issuer,
      pollMs: 50,
    });
    try {
      while ((await dispatcher.tick()).claimed > 0) {}
    } finally {
      await dispatcher.stop();
    }
    // The app's developer signed up too: take the mail sent to this person.
    const mail = receiver.received.find(
      (m) =>
        m.to &&
        !Array.isArray(m.to) &&
        m.to.text === EMAIL &&
        (m.text ?? '').includes('/verify-email?token='),
    );
    assert.ok(mail, 'the confirmation mail arrived');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/verify-email\?token=[\w-]+)/.exec(mail.text ?? '')![1]!;

    await page.goto(url);
    await screenshot(page, 'ko-360-verify-email');
    assert.equal(
      (await me()).kakao_account.is_email_verified,
      false,
      'opening the link alone confirms nothing',
    );
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/verify-email')),
      page.getByRole('button', { name: t('recovery.verify.submit') }).click(),
    ]);
    assert.equal(answer.status(), 200);
    await page.waitForURL(`${server.baseUrl}/verify-email`);
    assert.equal(
      (await page.getByRole('status').textContent())?.trim(),
      t('recovery.verify.done', { email: EMAIL }),
    );
    await screenshot(page, 'ko-360-verify-email-done');
    const body = await me();
    assert.equal(body.kakao_account.is_email_verified, true);
    assert.equal(body.kakao_account.email, EMAIL);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    assert.ok(Number(width) <= 360, `no sideways scrolling at 360 px (scrollWidth ${width})`);
    await context.close();
  });
});
