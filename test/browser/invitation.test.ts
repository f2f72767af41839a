/**
 * Team invitation in a real browser, with JavaScript off (the pages must work without it): an
 * owner invites an email on the members page and copies the link shown once; a second person, in
 * a browser of their own with no account yet, opens the link, creates an account from it, is
 * asked to confirm the address first, confirms it from the mailed link, opens the invitation
 * again and accepts, and the app is in their console with the invited role.
 * Korean on a phone and English on a desktop; screenshots go to artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const SCREENS = {
  ko: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  en: { viewport: { width: 1280, height: 800 } },
} satisfies Record<Locale, BrowserContextOptions>;
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const PASSWORD = 'purple elephant umbrella';

describe('browser: a second person accepts a team invitation', () => {
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

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}: invites on the members page; the invitee signs up from the link and accepts`, async () => {
      const t = translator(locale);
      const { app } = server;
      const ownerEmail = `owner-${locale}@example.com`;
      const inviteeEmail = `invitee-${locale}@example.com`;
      const owner = await app.services.accounts.signUp({
        email: ownerEmail,
        password: PASSWORD,
        nickname: 'Mina',
      });
      const { app_id: appId } = await app.services.apps.createApp(
        { accountId: owner.id },
        { name: `Team ${locale}` },
      );
      const options = { ...SCREENS[locale], locale: ACCEPT_LANGUAGE[locale], javaScriptEnabled: false };
      const ownerContext = await browser.newContext(options);
      const inviteeContext = await browser.newContext(options);
      let step = 0;
      try {
        // The owner invites by email on the members page and reads the link shown once.
        const ownerPage = await ownerContext.newPage();
        const shot = (page: typeof ownerPage, name: string) =>
          screenshot(page, `${locale}-invitation-${++step}-${name}`);
        await ownerPage.goto(
          `${server.baseUrl}/login?next=${encodeURIComponent(`/developers/apps/${appId}/members`)}`,
        );
        await ownerPage.getByLabel(t('field.email'), { exact: true }).fill(ownerEmail);
        await ownerPage.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await ownerPage.getByRole('button', { name: t('login.submit'), exact: true }).click();
        await ownerPage.waitForURL(`**/developers/apps/${appId}/members`);
        await ownerPage.getByLabel(t('console.members.email'), { exact: true }).fill(inviteeEmail);
        await ownerPage.getByLabel(t('console.members.role'), { exact: true }).selectOption('admin');
        await shot(ownerPage, 'members-form');
        await ownerPage.getByRole('button', { name: t('invitations.invite.submit'), exact: true }).click();
        await ownerPage.getByRole('heading', { name: t('invitations.created.title') }).waitFor();
        const link = await ownerPage.getByLabel(t('invitations.created.link'), { exact: true }).inputValue();
        assert.ok(link.startsWith(`${server.baseUrl}/invitations/`), link);
        await shot(ownerPage, 'created');

        // The invitee, in a browser of their own and without an account, opens the link.
        const page = await inviteeContext.newPage();
        await page.goto(link);
        await page.getByRole('heading', { level: 1, name: t('invitations.signin.title') }).waitFor();
        await shot(page, 'signed-out');
        await page.getByRole('link', { name: t('invitations.signin.signup'), exact: true }).click();
        await page.getByLabel(t('field.email'), { exact: true }).fill(inviteeEmail);
        await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await page.getByLabel(t('field.nickname'), { exact: true }).fill('Jun');
        await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();

        // Back on the invitation, signed in, but the address is not confirmed yet: the page says
        // so. The invitee opens the confirmation link from their mail, then the invitation again.
        await page.waitForURL(link);
        await page
          .getByRole('heading', { level: 1, name: t('invitations.refused.unverified_email.title') })
          .waitFor();
        await shot(page, 'confirm-first');
        const mail = await app.db
          .selectFrom('mail_outbox')
          .select('params')
          .where('kind', '=', 'verify_email')
          .where('to_address', '=', inviteeEmail)
          .executeTakeFirstOrThrow();
        await page.goto((JSON.parse(mail.params) as { url: string }).url);
        await page.getByRole('button', { name: t('recovery.verify.submit'), exact: true }).click();
        await page.getByText(t('recovery.verify.done', { email: inviteeEmail })).waitFor();
        await page.goto(link);

        // The invitation: the app, the inviter and the role, then Accept.
        const title = t('invitations.page.title', { app: `Team ${locale}` });
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        const text = (await page.locator('main').textContent()) ?? '';
        assert.ok(text.includes(t('invitations.page.role', { role: t('console.role.admin') })), text);
        assert.ok(text.includes('Mina'), text);
        const before = await app.services.apps.getAppDetail({ accountId: owner.id }, appId);
        assert.equal(before.members.length, 1, 'nobody joins before accepting');
        await shot(page, 'invitation');
        await page.getByRole('button', { name: t('invitations.page.accept'), exact: true }).click();
        await page.waitForURL(`**/developers/apps/${appId}`);
        await shot(page, 'joined');

        const detail = await app.services.apps.getAppDetail({ accountId: owner.id }, appId);
        assert.deepEqual(detail.members.map((m) => [m.email, m.role]).sort(), [
          [inviteeEmail, 'admin'],
          [ownerEmail, 'owner'],
        ]);
      } finally {
        await ownerContext.close();
        await inviteeContext.close();
      }
    });
  }
});
