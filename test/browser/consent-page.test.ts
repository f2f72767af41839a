/**
 * The consent page in a real browser (Debian Chromium) on a 360 px phone screen, in Korean, for an
 * app asking four items: Cancel and Agree are the same height, side by side, and both in view
 * without scrolling; with JavaScript, "전체 동의하기" is a checkbox that ticks every optional item
 * live and Agree then grants them all. Screenshot: artifacts/screenshots/consent-page-ko-360.png.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

type Box = { x: number; y: number; width: number; height: number };

import { translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const PASSWORD = 'purple elephant umbrella';
const t = translator('ko');

describe('browser: consent page at 360 px in Korean', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const onClose = (fn: () => Promise<void>) => cleanups.push(fn);
  let browser: Browser;
  let server: BrowserServer;
  let callback: string;
  let clientId: string;
  let appId: number;

  before(async () => {
    browser = await launchBrowser(onClose);
    server = await startBrowserServer(onClose);
    const rp = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('app received the code');
    });
    await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
    onClose(() => new Promise<void>((resolve) => rp.close(() => resolve())));
    callback = `http://127.0.0.1:${(rp.address() as AddressInfo).port}/callback`;
    const owner = await server.app.services.accounts.signUp({
      email: 'dev@example.com',
      password: PASSWORD,
      nickname: 'Dev',
    });
    const created = await server.app.services.apps.createApp(
      { accountId: owner.id },
      {
        name: '쿠키 상점',
        company_name: '쿠키 주식회사',
        privacy_policy_url: 'https://rp.example/privacy',
        terms_url: 'https://rp.example/terms',
        redirect_uris: [callback],
        consent_items: [
          { item: 'profile_nickname', mode: 'required', purpose_ko: '주문자 표시' },
          { item: 'profile_image', mode: 'optional' },
          { item: 'account_email', mode: 'optional', purpose_ko: '영수증 발송' },
          { item: 'age_range', mode: 'optional', purpose_ko: '연령에 맞는 상품 추천' },
        ],
      },
    );
    clientId = created.rest_api_key;
    appId = created.app_id;
  });

  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  /** Signs `email` in through the authorization request and waits for the consent page. */
  async function openConsent(page: Page, email: string) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: callback,
      response_type: 'code',
      state: 'st-links',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.baseUrl}/oauth/authorize?${query}`);
    await page.getByLabel(t('field.email')).fill(email);
    await page.getByLabel(t('field.password')).fill(PASSWORD);
    await page.getByRole('button', { name: t('login.submit') }).click();
    await page.getByRole('heading', { name: t('interaction.consent.title', { app: '쿠키 상점' }) }).waitFor();
  }

  it('the privacy policy and terms links never lie under Agree/Cancel at 360 px, and open when tapped', async () => {
    const email = 'links@example.com';
    await server.app.services.accounts.signUp({ email, password: PASSWORD, nickname: '서윤' });
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ ...PHONE, javaScriptEnabled, locale: 'ko-KR' });
      await context.route('https://rp.example/**', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/plain',
          body: `policy page ${route.request().url()}`,
        }),
      );
      try {
        const page = await context.newPage();
        await openConsent(page, email);
        const links = [
          page.getByRole('link', { name: t('interaction.consent.privacy') }),
          page.getByRole('link', { name: t('interaction.consent.terms') }),
        ];
        const buttons = [
          page.getByRole('button', { name: t('interaction.consent.cancel'), exact: true }),
          page.getByRole('button', { name: t('interaction.consent.submit'), exact: true }),
        ];
        const intersect = (a: Box, b: Box) =>
          a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        // At the top of the page, in the middle and at the bottom of the list.
        for (const to of ['top', 'middle', 'bottom']) {
          await page.evaluate((where) => {
            const max = document.documentElement.scrollHeight - window.innerHeight;
            window.scrollTo(0, where === 'top' ? 0 : where === 'middle' ? max / 2 : max);
          }, to);
          for (const link of links) {
            const box = (await link.boundingBox())!;
            assert.ok(
              box.y >= 0 && box.y + box.height <= PHONE.viewport.height,
              `${to}: the link is in view`,
            );
            assert.ok(box.height >= 24, `${to}: a 24 px tap target (WCAG 2.5.8)`);
            for (const button of buttons)
              assert.ok(!intersect(box, (await button.boundingBox())!), `${to}: a link under a button`);
            // What a tap at the link's centre hits is the link itself, not a button over it.
            const hit = await page.evaluate(
              ({ x, y }) => document.elementFromPoint(x, y)?.closest('a')?.id ?? null,
              { x: box.x + box.width / 2, y: box.y + box.height / 2 },
            );
            assert.match(String(hit), /^(privacy|terms)-link$/, `${to}: the tap reaches the link`);
          }
        }
        await links[1]!.click();
        await page.getByText('policy page https://rp.example/terms').waitFor();
        await page.goBack();
        await links[0]!.click();
        await page.getByText('policy page https://rp.example/privacy').waitFor();
      } finally {
        await context.close();
      }
    }
  });

  it('shows Cancel and Agree the same height, side by side and in view; "전체 동의하기" ticks every optional item', async () => {
    const email = 'person@example.com';
    await server.app.services.accounts.signUp({ email, password: PASSWORD, nickname: '민아' });
    const context = await browser.newContext({
      ...PHONE,
      locale: 'ko-KR',
      extraHTTPHeaders: { 'accept-language': 'ko-KR' },
    });
    try {
      const page = await context.newPage();
      const verifier = randomBytes(32).toString('base64url');
      const query = new URLSearchParams({
        client_id: clientId,
        redirect_uri: callback,
        response_type: 'code',
        state: 'st-360',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      await page.goto(`${server.baseUrl}/oauth/authorize?${query}`);
      await page.getByLabel(t('field.email')).fill(email);
      await page.getByLabel(t('field.password')).fill(PASSWORD);
      await page.getByRole('button', { name: t('login.submit') }).click();
      await page
        .getByRole('heading', { name: t('interaction.consent.title', { app: '쿠키 상점' }) })
        .waitFor();
      await screenshot(page, 'consent-page-ko-360');

      const cancel = page.getByRole('button', { name: t('interaction.consent.cancel'), exact: true });
      const agree = page.getByRole('button', { name: t('interaction.consent.submit'), exact: true });
      const c = (await cancel.boundingBox())!;
      const a = (await agree.boundingBox())!;
      assert.equal(c.height, a.height, 'the same height');
      assert.equal(c.width, a.width, 'the same width');
      assert.equal(c.y, a.y, 'side by side');
      assert.ok(c.x < a.x, 'Cancel first, as at Kakao');
      const scrollY = await page.evaluate(() => window.scrollY);
      assert.equal(scrollY, 0);
      for (const box of [c, a]) {
        assert.ok(box.y >= 0 && box.y + box.height <= PHONE.viewport.height, 'in view without scrolling');
        assert.ok(box.x >= 0 && box.x + box.width <= PHONE.viewport.width);
      }
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(sideways, false, 'no sideways scrolling at 360 px');

      // The script has turned the no-JavaScript button into Kakao's checkbox row.
      assert.equal(await page.locator('#agree-all-button').isVisible(), false);
      const all = page.getByRole('checkbox', { name: t('interaction.consent.agree_all_check') });
      await all.check();
      for (const item of ['profile_image', 'account_email', 'age_range'])
        assert.equal(await page.locator(`#item-${item}`).isChecked(), true, item);
      await page.locator('#item-age_range').uncheck();
      assert.equal(await all.isChecked(), false, 'unticking one item unticks "agree to all"');
      await page.locator('#item-age_range').check();
      assert.equal(await all.isChecked(), true);

      await agree.click();
      await page.getByText('app received the code').waitFor();
      const account = await server.app.services.accounts.getByEmail(email);
      const live = await server.app.services.connections.getLive(account!.id, appId);
      assert.deepEqual(live?.items.sort(), [
        'account_email',
        'age_range',
        'profile_image',
        'profile_nickname',
      ]);
    } finally {
      await context.close();
    }
  });
});
