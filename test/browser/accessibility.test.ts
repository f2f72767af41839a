/**
 * Accessibility of every page an account holder sees, in Debian Chromium: home, login, sign-up,
 * forgot and reset password (a real mailed link), email confirmation, consent (a real
 * authorization through an app), Manage Connected Services (list, app detail, withdraw, Delete All
 * Data and Disconnect confirmations, the receipt after Delete All Data, the history), account,
 * account deletion and goodbye, security, change password, change email, an invitation and two
 * error pages (404 and an OAuth error), in Korean and English at 360 px and 1280 px.
 *
 * Each page is checked with axe-core against WCAG 2.0 A/AA and WCAG 2.1 AA; a serious or critical
 * violation fails the test and is printed (rule, element, help). At 360 px nothing may scroll
 * sideways (WCAG 2.1 SC 1.4.10 Reflow). The login page and the connected-services list are also
 * used with the keyboard alone: Tab reaches every control in document order, and each focused
 * control looks different from its unfocused self (WCAG 2.1 SC 2.4.7 Focus Visible).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { CASE2_PLATFORMS, createDeveloperApp, PASSWORD } from '../connected/fixtures.ts';
import { type BrowserServer, launchBrowser, startBrowserServer } from '../helpers/browser.ts';
import type { KakaoApp } from '../kakao/helpers.ts';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };
const SCREENS = {
  360: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  1280: { viewport: { width: 1280, height: 900 } },
} satisfies Record<number, BrowserContextOptions>;
const CALLBACK = 'http://127.0.0.1:9/callback';
/**
 * `node scripts/screenshots.mjs` sets this to docs/screenshots/: each page is then also saved as
 * a11y-<locale>-<width>-<page>.png, Korean on the phone (whole page) and English on the desktop
 * (the first screen). A plain test run writes nothing.
 */
const SHOTS = process.env.YEON_SCREENSHOTS_DIR;
const SHOT_SCREENS = new Set(['ko-360', 'en-1280']);

interface Finding {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical WCAG 2.0 A/AA and 2.1 AA violations on the page as it is now. */
async function audit(page: Page, name: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> };
    };
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: String(v.impact),
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: name, ...v }));
}

const describeFindings = (findings: Finding[]) =>
  findings
    .map((f) => `${f.page}: [${f.impact}] ${f.id} — ${f.help}\n    ${f.targets.join('\n    ')}`)
    .join('\n');

/** The controls Tab should reach, in document order, each with how it looks when not focused. */
async function focusables(page: Page) {
  return page.evaluate(() => {
    const selector =
      'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
    (document.activeElement as HTMLElement | null)?.blur();
    return Array.from(document.querySelectorAll<HTMLElement>(selector))
      .filter((el) => el.tabIndex >= 0 && el.checkVisibility({ visibilityProperty: true }))
      .map((el, i) => {
        el.dataset.a11yOrder = String(i);
        const s = getComputedStyle(el);
        return {
          order: i,
          label: `${el.tagName.toLowerCase()} ${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('name') || el.getAttribute('href') || ''}`,
          look: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow} | ${s.borderColor} | ${s.backgroundColor}`,
        };
      });
  });
}

/**
 * What the focused control looks like, run in the page. A string, not a function: tsx names inner
 * functions with a helper (`__name`) that does not exist inside the page.
 */
const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  if (!el) return undefined;
  const rgb = (color) => (color.match(/[\\d.]+/g) || []).map(Number);
  const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = (color) => {
    const [r = 0, g = 0, b = 0] = rgb(color).map((c) => c / 255);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  // The outline is drawn outside the control (outline-offset), over what lies behind it.
  let behind = 'rgb(255, 255, 255)';
  for (let up = el.parentElement; up; up = up.parentElement) {
    const bg = getComputedStyle(up).backgroundColor;
    if (bg !== 'transparent' && rgb(bg)[3] !== 0) { behind = bg; break; }
  }
  const s = getComputedStyle(el);
  const [hi, lo] = [luminance(s.outlineColor), luminance(behind)].sort((a, b) => b - a);
  return {
    order: Number(el.dataset.a11yOrder ?? -1),
    outline: s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2,
    contrast: (hi + 0.05) / (lo + 0.05),
    look: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor + ' | ' + s.boxShadow + ' | ' + s.borderColor + ' | ' + s.backgroundColor,
  };
})()`;

/** Presses Tab through the page: every control in order, each visibly marked while it has focus. */
async function tabThrough(page: Page, what: string): Promise<void> {
  const expected = await focusables(page);
  assert.ok(expected.length > 2, `${what}: the page has controls to reach`);
  for (const control of expected) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(FOCUS_PROBE)) as
      | { order: number; outline: boolean; contrast: number; look: string }
      | undefined;
    assert.equal(focused?.order, control.order, `${what}: Tab reaches ${control.label} next`);
    assert.ok(
      focused?.outline && focused.look !== control.look,
      `${what}: ${control.label} shows that it has focus (focused: ${focused.look}; not: ${control.look})`,
    );
    // WCAG 2.1 SC 1.4.11 Non-text Contrast: a focus mark needs 3:1 against what surrounds it.
    assert.ok(
      focused.contrast >= 3,
      `${what}: the focus mark on ${control.label} has contrast ${focused.contrast.toFixed(2)}:1 (${focused.look})`,
    );
  }
}

describe('browser: accessibility of the account holder pages (axe-core, keyboard, 360 px)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  let browser: Browser;
  let server: BrowserServer;
  let ownerId: string;
  let cookieShop: { clientId: string };

  before(async () => {
    browser = await launchBrowser((fn) => cleanups.push(fn));
    server = await startBrowserServer((fn) => cleanups.push(fn));
    const owner = await server.app.services.accounts.signUp({
      email: 'developer@example.com',
      password: PASSWORD,
      nickname: 'Developer',
    });
    ownerId = owner.id;
    const created = await createDeveloperApp(server.app, ownerId, {
      name: 'Cookie Shop',
      redirect_uris: [CALLBACK],
    });
    cookieShop = { clientId: created.rest_api_key };
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  async function newPerson(tag: string, locale: Locale) {
    const { app } = server;
    const email = `a11y-${tag}-${randomBytes(3).toString('hex')}@example.com`;
    const person = await app.services.accounts.signUp({
      email,
      password: PASSWORD,
      nickname: '민아',
      locale,
    });
    const apps: KakaoApp[] = [];
    for (const [name, extra] of [
      [
        locale === 'ko' ? '콜백 쇼핑' : 'Callback Shop',
        {
          unlink: {
            callback_url: 'http://127.0.0.1:9/unlink',
            method: 'POST' as const,
            state: 'active' as const,
          },
        },
      ],
      [locale === 'ko' ? '조용한 쇼핑' : 'Quiet Shop', { platforms: CASE2_PLATFORMS }],
    ] as const) {
      const created = await createDeveloperApp(app, ownerId, { name: `${name} ${tag}`, ...extra });
      await app.services.connections.agree({
        accountId: person.id,
        appId: created.app_id,
        items: ['profile_nickname', 'account_email'],
      });
      apps.push(created);
    }
    const invitation = await app.services.apps.inviteMember(
      { accountId: ownerId },
      apps[0]!.app_id,
      { email, role: 'admin' },
      {
        locale,
        siteUrl: app.config.issuer,
        mailCommitted: () => {},
      },
    );
    await app.services.passwordRecovery.requestReset({ email, ip: '127.0.0.1', pageLocale: locale });
    const mailed = async (kind: string) => {
      const row = await app.db
        .selectFrom('mail_outbox')
        .select('params')
        .where('kind', '=', kind)
        .where('to_address', '=', email)
        .executeTakeFirstOrThrow();
      return (JSON.parse(row.params) as { url: string }).url;
    };
    return {
      email,
      case1: apps[0]!,
      case2: apps[1]!,
      invitationUrl: invitation.url,
      resetUrl: await mailed('password_reset'),
      verifyUrl: await mailed('verify_email'),
    };
  }

  for (const locale of ['ko', 'en'] as const) {
    for (const width of [360, 1280] as const) {
      it(`${locale} at ${width} px: no serious or critical axe-core violation on any account holder page, nothing scrolls sideways`, {
        timeout: 300_000,
      }, async () => {
        const t = translator(locale);
        const who = await newPerson(`${locale}-${width}`, locale);
        const context = await browser.newContext({
          ...SCREENS[width],
          bypassCSP: true,
          locale: ACCEPT_LANGUAGE[locale],
          extraHTTPHeaders: { 'accept-language': ACCEPT_LANGUAGE[locale] },
        });
        const page = await context.newPage();
        const findings: Finding[] = [];
        const tooWide: string[] = [];
        const check = async (name: string, target?: string) => {
          if (target !== undefined)
            await page.goto(target.startsWith('http') ? target : `${server.baseUrl}${target}`);
          findings.push(...(await audit(page, `${locale}/${width}/${name}`)));
          const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
          if (width === 360 && scrollWidth > 360) tooWide.push(`${name}: ${scrollWidth} px`);
          if (SHOTS && SHOT_SCREENS.has(`${locale}-${width}`))
            await page.screenshot({
              path: path.join(path.resolve(SHOTS), `a11y-${locale}-${width}-${name}.png`),
              fullPage: width === 360,
            });
        };
        try {
          // Signed out.
          await check('home', '/');
          await check('signup', '/signup');
          await check('forgot-password', '/forgot-password');
          await check('reset-password', who.resetUrl);
          await check('verify-email', who.verifyUrl);
          await check('not-found', '/no-such-page');
          await check(
            'oauth-error',
            `/oauth/authorize?${new URLSearchParams({ client_id: 'no-such-app', redirect_uri: CALLBACK, response_type: 'code' })}`,
          );
          await check('invitation-signed-out', who.invitationUrl);
          await check('login', '/login');
          await page.getByLabel(t('field.email'), { exact: true }).fill(who.email);
          await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
          await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
          await page.waitForURL('**/account');

          // Signed in.
          await check('account');
          const list = '/account/connected-services';
          await check('connected-list', list);
          await check('connected-detail', `${list}/${who.case1.app_id}`);
          await check('withdraw-confirm', `${list}/${who.case1.app_id}/withdraw/account_email`);
          await check('disconnect-confirm', `${list}/${who.case2.app_id}/disconnect`);
          await check('leave-in-person', `${list}/${who.case2.app_id}/delete-all`);
          await check('delete-all-confirm', `${list}/${who.case1.app_id}/delete-all`);
          await page.getByRole('button', { name: t('connected.delete_all.confirm'), exact: true }).click();
          await page.waitForURL((url) => !url.pathname.endsWith('/delete-all'));
          await check('after-delete-all');
          await check('connected-list-with-receipt', list);
          await check('history', '/account/history');
          await check('security', '/account/security');
          await check('change-password', '/account/password');
          await check('change-email', '/account/email');
          await check('invitation', who.invitationUrl);
          const verifier = randomBytes(32).toString('base64url');
          await page.goto(
            `${server.baseUrl}/oauth/authorize?${new URLSearchParams({
              client_id: cookieShop.clientId,
              redirect_uri: CALLBACK,
              response_type: 'code',
              state: 'a11y',
              code_challenge: createHash('sha256').update(verifier).digest('base64url'),
              code_challenge_method: 'S256',
            })}`,
          );
          await page
            .getByRole('heading', { name: t('interaction.consent.title', { app: 'Cookie Shop' }) })
            .waitFor();
          await check('consent');
          await check('account-delete', '/account/delete');
          await check('goodbye', '/account/deleted');
        } finally {
          await context.close();
        }
        assert.deepEqual(tooWide, [], `pages wider than 360 px:\n${tooWide.join('\n')}`);
        assert.equal(findings.length, 0, `axe-core violations:\n${describeFindings(findings)}`);
      });
    }
  }

  it('the audit itself catches what it looks for: an unlabelled field and pale text fail it', async () => {
    const context = await browser.newContext({ ...SCREENS[1280], bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/login`);
      assert.deepEqual(await audit(page, 'login'), []);
      await page.evaluate(() => {
        document
          .querySelector('main')
          ?.insertAdjacentHTML(
            'beforeend',
            '<input type="text" name="unlabelled"><p style="color:#cccccc">pale</p>',
          );
      });
      const ids = (await audit(page, 'login, spoiled')).map((f) => f.id).sort();
      assert.deepEqual(ids, ['color-contrast', 'label']);
    } finally {
      await context.close();
    }
  });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}: with the keyboard alone, Tab reaches every control of the login page and the connected-services list in order, each with a visible focus mark`, {
      timeout: 120_000,
    }, async () => {
      const t = translator(locale);
      const who = await newPerson(`keys-${locale}`, locale);
      const context = await browser.newContext({ ...SCREENS[1280], locale: ACCEPT_LANGUAGE[locale] });
      const page = await context.newPage();
      try {
        await page.goto(`${server.baseUrl}/login`);
        await tabThrough(page, 'login page');
        // Sign in with the keyboard too: type into the fields and press Enter.
        await page.getByLabel(t('field.email'), { exact: true }).focus();
        await page.keyboard.type(who.email);
        await page.keyboard.press('Tab');
        await page.keyboard.type(PASSWORD);
        await page.keyboard.press('Enter');
        await page.waitForURL('**/account');
        await page.goto(`${server.baseUrl}/account/connected-services`);
        await tabThrough(page, 'connected-services list');
      } finally {
        await context.close();
      }
    });
  }
});
