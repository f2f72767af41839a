/**
 * Login and consent in a real browser (Debian Chromium) on a phone screen (390×844), in Korean
 * and in English: an app sends the person to /oauth/authorize; they log in on yeon's page, see the
 * consent page (app name and company, fixed required item, optional item, purposes) and agree; the
 * app's loopback callback receives the code and the state. No JavaScript on yeon's pages.
 * Screenshots: artifacts/screenshots/consent-<locale>-<step>.png.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const PASSWORD = 'purple elephant umbrella';

describe('browser: OAuth login and consent', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const onClose = (fn: () => Promise<void>) => cleanups.push(fn);
  let browser: Browser;
  let server: BrowserServer;
  let callback: string;
  const received: URL[] = [];
  let clientId: string;
  let appId: number;

  before(async () => {
    browser = await launchBrowser(onClose);
    server = await startBrowserServer(onClose);
    // The app's redirect URI: a loopback receiver that records what it gets.
    const rp = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/callback') received.push(url); // not the browser's /favicon.ico
      res.writeHead(200, { 'content-type': 'text/plain' }).end('app received the code');
    });
    await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
    onClose(() => new Promise<void>((resolve) => rp.close(() => resolve())));
    callback = `http://127.0.0.1:${(rp.address() as AddressInfo).port}/callback`;

    const { app } = server;
    const owner = await app.services.accounts.signUp({
      email: 'dev@example.com',
      password: PASSWORD,
      nickname: 'Dev',
    });
    const created = await app.services.apps.createApp(
      { accountId: owner.id },
      {
        name: 'Cookie Shop',
        company_name: 'Cookie Co',
        privacy_policy_url: 'https://rp.example/privacy',
        redirect_uris: [callback],
        consent_items: [
          {
            item: 'profile_nickname',
            mode: 'required',
            purpose_en: 'To greet you',
            purpose_ko: '인사하기 위해',
          },
          {
            item: 'account_email',
            mode: 'optional',
            purpose_en: 'To send receipts',
            purpose_ko: '영수증 발송',
          },
        ],
      },
    );
    clientId = created.rest_api_key;
    appId = created.app_id;
  });

  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}: login → consent → the app gets a code`, async () => {
      const t = translator(locale);
      const email = `person-${locale}@example.com`;
      await server.app.services.accounts.signUp({ email, password: PASSWORD, nickname: `Mina ${locale}` });
      const context = await browser.newContext({
        ...PHONE,
        javaScriptEnabled: false,
        locale: ACCEPT_LANGUAGE[locale],
        extraHTTPHeaders: { 'accept-language': ACCEPT_LANGUAGE[locale] },
      });
      try {
        const page = await context.newPage();
        const verifier = randomBytes(32).toString('base64url');
        const state = `st-${locale}`;
        const query = new URLSearchParams({
          client_id: clientId,
          redirect_uri: callback,
          response_type: 'code',
          state,
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        });
        await page.goto(`${server.baseUrl}/oauth/authorize?${query}`);
        await page.getByRole('heading', { name: t('interaction.login.title') }).waitFor();
        await screenshot(page, `consent-${locale}-login`);
        await page.getByLabel(t('field.email')).fill(email);
        await page.getByLabel(t('field.password')).fill(PASSWORD);
        await page.getByRole('button', { name: t('login.submit') }).click();

        const title = t('interaction.consent.title', { app: 'Cookie Shop' });
        await page.getByRole('heading', { name: title }).waitFor();
        const required = page.getByRole('checkbox', {
          name: new RegExp(t('interaction.item.profile_nickname')),
        });
        assert.equal(await required.isChecked(), true);
        assert.equal(await required.isDisabled(), true);
        const optional = page.getByRole('checkbox', {
          name: new RegExp(t('interaction.item.account_email')),
        });
        assert.equal(await optional.isChecked(), false);
        assert.equal(await optional.isDisabled(), false);
        await page.getByText(t('interaction.consent.company', { company: 'Cookie Co' })).waitFor();
        await page.getByText(locale === 'ko' ? '인사하기 위해' : 'To greet you').waitFor();
        await screenshot(page, `consent-${locale}-consent`);

        await optional.check();
        await page.getByRole('button', { name: t('interaction.consent.submit'), exact: true }).click();
        await page.getByText('app received the code').waitFor();
        const got = received.at(-1)!;
        assert.equal(got.searchParams.get('state'), state);
        assert.ok(got.searchParams.get('code'));
        await screenshot(page, `consent-${locale}-done`);

        const account = await server.app.services.accounts.getByEmail(email);
        const live = await server.app.services.connections.getLive(account!.id, appId);
        assert.deepEqual(live?.items.sort(), ['account_email', 'profile_nickname']);
      } finally {
        await context.close();
      }
    });
  }
});
