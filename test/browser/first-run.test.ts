/**
 * The README's first-run walkthrough, exactly, against what `npm start` sets up. It spawns
 * `node scripts/start.mjs` (temp data dir, free ports), reads the demo account from the block the
 * start command prints, and in Debian Chromium, in Korean then in English:
 *
 * - Demo Shop (desktop width): logs in with yeon (consent), adds a wish, opens Manage Connected
 *   Services, presses Delete All Data and confirms, then waits until Demo Shop holds nothing about
 *   the person and yeon's Previously connected list shows the shop's deletion receipt. The English
 *   run is a relink of the same person, so it also shows that a second login after deletion works.
 * - Demo Blog (a 360 px wide phone): the Kakao-style app that logs in with plain fetch, no client
 *   secret and no PKCE (both optional at Kakao, so optional in yeon unless the app turns them on).
 *   Open the blog, press its log-in button, log in on yeon's page (and agree, the first time the
 *   person links the blog), land back on the blog signed in under the person's nickname; then log
 *   out of the blog and log in again, which yeon answers straight away since the person is still
 *   signed in to yeon and already agreed.
 *
 * Screenshots go to artifacts/screenshots/first-run-<locale>-[blog-]<n>-<step>.png (git-ignored,
 * like every test artifact). The README's copies in docs/screenshots/ are regenerated on purpose by
 * `node scripts/screenshots.mjs`, which runs this same walkthrough with YEON_SCREENSHOTS_DIR set.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { type Locale, translator } from '../../src/i18n/index.ts';
import { freePort, launchBrowser, SCREENSHOT_DIR } from '../helpers/browser.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** Where the screenshots go: a test run writes only git-ignored artifacts unless told otherwise. */
const SHOTS = process.env.YEON_SCREENSHOTS_DIR
  ? path.resolve(root, process.env.YEON_SCREENSHOTS_DIR)
  : SCREENSHOT_DIR;
const VIEWPORT = { width: 900, height: 760 };
/** A small phone, 360 px wide, with touch and the page's meta viewport honoured as a phone does. */
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
/** The blog's own words (demo/blog/server.ts renders them in English whatever the language). */
const BLOG_LOGIN = 'Log in with yeon (Kakao-compatible)';
const NICKNAME = 'Demo Person';
const ACCEPT_LANGUAGE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };

interface Started {
  child: ChildProcess;
  output: () => string;
  yeonUrl: string;
  shopUrl: string;
  blogUrl: string;
  dataDir: string;
  email: string;
  password: string;
}

/** `npm start`'s script, as a newcomer runs it; resolves once it printed its "what to try" block. */
async function startDemo(): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-first-run-'));
  const [yeonPort, shopPort, blogPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      YEON_DATA_DIR: dataDir,
      YEON_PORT: String(yeonPort),
      YEON_DEMO_SHOP_PORT: String(shopPort),
      YEON_DEMO_BLOG_PORT: String(blogPort),
      YEON_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c) => {
    out += c;
  });
  child.stderr?.on('data', (c) => {
    out += c;
  });
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/Ctrl-C stops everything/.test(out)) resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`start.mjs exited (${code}) before it was ready:\n${out}`)),
    );
  });
  const login = /Log in as (\S+), password (\S+), and agree/.exec(out);
  assert.ok(login, `the start block names the demo account:\n${out}`);
  return {
    child,
    output: () => out,
    yeonUrl: `http://localhost:${yeonPort}`,
    shopUrl: `http://localhost:${shopPort}`,
    blogUrl: `http://localhost:${blogPort}`,
    dataDir,
    email: login[1] ?? '',
    password: login[2] ?? '',
  };
}

async function stopDemo(s: Started): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await exited;
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

/** What Demo Shop's own database holds about one app user id. */
function shopHolds(dataDir: string, userId: string) {
  const db = new Database(path.join(dataDir, 'demo', 'shop.db'), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(userId) as { n: number }).n;
    return {
      users: count('SELECT count(*) AS n FROM users WHERE id = ?'),
      wishes: count('SELECT count(*) AS n FROM wishes WHERE user_id = ?'),
      sessions: count('SELECT count(*) AS n FROM sessions WHERE user_id = ?'),
      deletions: db.prepare('SELECT code FROM deletions ORDER BY deleted_at').all() as Array<{
        code: string;
      }>,
    };
  } finally {
    db.close();
  }
}

/** Bounded wait for something another process does (the dispatcher polls every 200 ms here). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** Full-page screenshots named <prefix>-<n>-<step>.png, numbered in the order they are taken. */
function shooter(page: Page, prefix: string) {
  let step = 0;
  return (name: string) =>
    page.screenshot({ path: path.join(SHOTS, `${prefix}-${++step}-${name}.png`), fullPage: true });
}

/** Nothing wider than the phone: a page that scrolls sideways at 360 px is broken for its reader. */
async function fitsPhone(page: Page, what: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(
    width <= PHONE.viewport.width,
    `${what} is ${width} px wide on a ${PHONE.viewport.width} px phone`,
  );
}

/**
 * Waits until the browser is back on the blog and checks that the blog shows the person signed in,
 * from the text it renders: "Hello, <nickname>", the app user id it got from /v2/user/me and that
 * answer itself. Returns the app user id. A failed login never reaches the blog's home page (the
 * callback answers with an error instead of redirecting), so that page's text is the message.
 */
async function signedInToBlog(page: Page, blogUrl: string): Promise<string> {
  await page.waitForURL((url) => url.origin === blogUrl);
  const where = new URL(page.url());
  if (where.pathname !== '/') {
    const text = await page.locator('body').textContent();
    assert.fail(`the blog's login did not come back signed in (${where.pathname}):\n${text}`);
  }
  const reader = page.getByTestId('reader');
  await reader.getByRole('heading', { name: `Hello, ${NICKNAME}` }).waitFor();
  const idLine = (await reader.getByText(/^Kakao user id: /).textContent()) ?? '';
  const id = /^Kakao user id: (\d+)$/.exec(idLine.trim())?.[1];
  assert.ok(id, `the blog shows the numeric app user id, got ${JSON.stringify(idLine)}`);
  const me = (await reader.locator('pre').textContent()) ?? '';
  assert.match(me, new RegExp(`"id": ${id}\\b`), 'the blog shows the /v2/user/me answer for that id');
  assert.match(me, new RegExp(`"nickname": "${NICKNAME}"`), '…with the nickname it greets the person by');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return id;
}

describe('browser: the README first-run walkthrough against npm start', () => {
  let browser: Browser;
  let demo: Started;
  /** The demo person's app user id at the blog, once they linked it (the first blog login agrees). */
  let blogUserId: string | undefined;
  const closers: Array<() => Promise<void>> = [];

  before(async () => {
    browser = await launchBrowser((fn) => closers.push(fn));
    // Bounded retry: on a busy machine another process may take a probed port before we listen.
    for (let attempt = 1; ; attempt++) {
      try {
        demo = await startDemo();
        break;
      } catch (err) {
        if (attempt >= 3 || !/EADDRINUSE/.test(String(err))) throw err;
      }
    }
    closers.push(() => stopDemo(demo));
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    for (const fn of closers.reverse()) await fn();
  });

  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}: log in to Demo Shop, add a wish, Delete All Data in yeon, the shop's data is gone and yeon shows the receipt`, {
      timeout: 240_000,
    }, async () => {
      const t = translator(locale);
      const context = await browser.newContext({ viewport: VIEWPORT, locale: ACCEPT_LANGUAGE[locale] });
      closers.push(() => context.close());
      const page: Page = await context.newPage();
      const shot = shooter(page, `first-run-${locale}`);

      // 1. Demo Shop → Log in with yeon.
      await page.goto(demo.shopUrl);
      await shot('shop');
      await page.getByRole('link', { name: 'Log in with yeon' }).click();

      // 2. yeon's login page (the demo account printed by npm start), then consent.
      await page.getByLabel(t('field.email')).fill(demo.email);
      await page.getByLabel(t('field.password')).fill(demo.password);
      await shot('yeon-login');
      await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
      // With JavaScript, "agree to all" is a checkbox that ticks every optional item (without it,
      // a button); then the person agrees.
      const agree = page.getByRole('button', { name: t('interaction.consent.submit'), exact: true });
      await agree.waitFor();
      await page
        .getByRole('checkbox', { name: t('interaction.consent.agree_all_check'), exact: true })
        .check();
      await shot('yeon-consent');
      await agree.click();

      // 3. Back at the shop, logged in, with what yeon told it; add a wish.
      await page.getByRole('heading', { name: 'Hello, Demo Person' }).waitFor();
      assert.equal(new URL(page.url()).origin, demo.shopUrl);
      const userId = ((await page.getByTestId('user-id').textContent()) ?? '').trim();
      assert.match(userId, /^\d+$/, 'sub is the numeric app user id');
      assert.match((await page.getByTestId('user-me').textContent()) ?? '', new RegExp(`"id": ${userId}`));
      await page.getByLabel('Wish').fill(locale === 'ko' ? '파란 머그컵' : 'A blue mug');
      await page.getByRole('button', { name: 'Add wish' }).click();
      await page.getByTestId('wishes').waitFor();
      await shot('shop-wish');
      const before = shopHolds(demo.dataDir, userId);
      assert.equal(before.users, 1);
      assert.equal(before.wishes, 1);

      // 4. yeon → Manage Connected Services → Demo Shop → Delete All Data → confirm.
      await page.goto(`${demo.yeonUrl}/account/connected-services`);
      assert.notEqual(
        (await page.request.get(`${demo.yeonUrl}/account/connected-services`)).status(),
        404,
        'Manage Connected Services is served at /account/connected-services',
      );
      await shot('connected-services');
      await page
        .getByRole('link', { name: /Demo Shop/ })
        .first()
        .click();
      await page.getByRole('link', { name: t('connected.detail.delete_all'), exact: true }).click();
      // The confirmation says what will happen before anything is deleted; its one submit button does it.
      const confirm = page.getByRole('button', { name: t('connected.delete_all.confirm'), exact: true });
      await confirm.waitFor();
      await shot('delete-confirm');
      await confirm.click();

      // 5. The shop deleted everything it held, and sent a receipt…
      const code = await eventually('Demo Shop deletes the data and records a receipt', () => {
        const now = shopHolds(demo.dataDir, userId);
        const fresh = now.deletions.find((d) => !before.deletions.some((b) => b.code === d.code));
        return now.users === 0 && now.wishes === 0 && now.sessions === 0 ? fresh?.code : undefined;
      });
      // …that yeon shows under Previously connected.
      await eventually('yeon shows the receipt', async () => {
        await page.goto(`${demo.yeonUrl}/account/connected-services`);
        return (await page.getByText(code).count()) > 0 ? true : undefined;
      });
      await page.getByText(code).first().scrollIntoViewIfNeeded();
      await shot('receipt');

      // 6. Back at the shop: logged out, nothing about the person; the receipt's page says so.
      await page.goto(demo.shopUrl);
      await page.getByTestId('logged-out').waitFor();
      await page.goto(`${demo.shopUrl}/deletion/${code}`);
      await page.getByRole('heading', { name: 'Your data is gone' }).waitFor();
      await shot('shop-deleted');
    });

    it(`${locale}: on a 360 px phone, log in to Demo Blog (Kakao-style: no client secret, no PKCE) through yeon, log out and back in`, {
      timeout: 120_000,
    }, async () => {
      const t = translator(locale);
      const context = await browser.newContext({ ...PHONE, locale: ACCEPT_LANGUAGE[locale] });
      closers.push(() => context.close());
      const page: Page = await context.newPage();
      const shot = shooter(page, `first-run-${locale}-blog`);
      const firstLink = blogUserId === undefined;

      // 1. Demo Blog, logged out → its log-in button.
      await page.goto(demo.blogUrl);
      await page.getByRole('heading', { name: 'Demo Blog' }).waitFor();
      await shot('blog');
      await fitsPhone(page, "the blog's home page");
      await page.getByRole('link', { name: BLOG_LOGIN }).click();

      // 2. This browser is not signed in to yeon: yeon's login page, in the person's language.
      await page.getByLabel(t('field.email')).fill(demo.email);
      await page.getByLabel(t('field.password')).fill(demo.password);
      await shot('yeon-login');
      await fitsPhone(page, "yeon's login page");
      await page.getByRole('button', { name: t('login.submit'), exact: true }).click();

      // 3. The first time the person links the blog, yeon asks; once agreed it does not ask again.
      //    The blog asks only for a required item, so the page's one "agree" button is the plain one.
      if (firstLink) {
        const agree = page.getByRole('button', { name: t('interaction.consent.submit'), exact: true });
        await agree.waitFor();
        await shot('yeon-consent');
        await fitsPhone(page, "yeon's consent page");
        await agree.click();
      }

      // 4. Back at the blog, signed in: it exchanged the code without a secret or PKCE and read /v2/user/me.
      const id = await signedInToBlog(page, demo.blogUrl);
      await shot('blog-signed-in');
      await fitsPhone(page, "the blog's signed-in page");
      if (firstLink) blogUserId = id;
      else assert.equal(id, blogUserId, 'the same person has the same app user id at the blog');

      // 5. Log out of the blog only, then log in again: still signed in to yeon and already agreed,
      //    so yeon sends the browser straight back to the blog without a page of its own.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: BLOG_LOGIN }).waitFor();
      await page.getByRole('link', { name: BLOG_LOGIN }).click();
      assert.equal(await signedInToBlog(page, demo.blogUrl), id);
    });
  }
});
