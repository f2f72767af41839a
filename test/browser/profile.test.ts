/**
 * The profile picture in a real browser (Debian Chromium), JavaScript off, in Korean on a 360 px
 * phone: the person chooses a photo with the file input, presses "사진 올리기", and sees the new
 * picture on the account page, loaded from its public URL; then the date control is filled and
 * saved. Nothing may need sideways scrolling at 360 px.
 * Screenshots: artifacts/screenshots/profile-ko-<n>-<step>.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import sharp from 'sharp';
import { translator } from '../../src/i18n/index.ts';
import { type BrowserServer, launchBrowser, screenshot, startBrowserServer } from '../helpers/browser.ts';

const PASSWORD = 'correct horse battery';
const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  javaScriptEnabled: false,
  locale: 'ko-KR',
};

describe('browser: profile picture', () => {
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

  it('ko, 360 px phone, no JavaScript: chooses a photo, uploads it, sees the new picture; sets a date of birth', async () => {
    const t = translator('ko');
    const email = 'picture-ko@example.com';
    await server.app.services.accounts.signUp({ email, password: PASSWORD, nickname: '민아' });
    const page = await (await browser.newContext(PHONE)).newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel(t('field.email'), { exact: true }).fill(email);
    await page.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: t('login.submit'), exact: true }).click();
    await page.waitForURL('**/account');
    assert.equal(await page.getByRole('img', { name: t('profile.picture.alt') }).count(), 0);
    await screenshot(page, 'profile-ko-1-no-picture');

    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#2a7' } })
      .jpeg()
      .toBuffer();
    await page
      .getByLabel(t('profile.picture.choose'), { exact: true })
      .setInputFiles({ name: '사진.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: t('profile.picture.upload'), exact: true }).click();
    await page.waitForURL('**/account?picture=updated');
    await page.getByText(t('profile.picture.updated')).waitFor();

    const img = page.getByRole('img', { name: t('profile.picture.alt') });
    await img.waitFor();
    const src = (await img.getAttribute('src')) ?? '';
    assert.match(src, /\/profile-images\/[A-Za-z0-9_-]+\/110\.webp$/);
    // The browser really loaded and decoded it from its public URL.
    const loaded = await img.evaluate((el) => {
      const image = el as unknown as { complete: boolean; naturalWidth: number };
      return image.complete ? image.naturalWidth : 0;
    });
    assert.equal(loaded, 110);
    await screenshot(page, 'profile-ko-2-picture');

    await page.getByLabel(t('profile.birth_date.label')).fill('1994-09-15');
    await page.getByRole('button', { name: t('common.save'), exact: true }).click();
    await page.waitForURL('**/account?saved=1');
    const account = (await server.app.services.accounts.getByEmail(email))!;
    assert.deepEqual([account.birthday, account.birthyear], ['0915', '1994']);
    assert.equal(await page.getByLabel(t('profile.birth_date.label')).inputValue(), '1994-09-15');

    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
        .document.documentElement;
      return root.scrollWidth;
    });
    assert.ok(overflow <= 360, `no sideways scrolling at 360 px (scrollWidth ${overflow})`);
    await screenshot(page, 'profile-ko-3-saved');
  });
});
