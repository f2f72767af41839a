/**
 * /docs in a real Chromium: Swagger UI renders the management API under the
 * site-wide CSP (`script-src 'self'`, no inline script) without a single CSP violation, and
 * "Try it out" works with a developer token.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { launchBrowser, startBrowserServer } from '../helpers/browser.ts';

describe('API documentation in Chromium', () => {
  it('renders every operation under the strict CSP and calls the API with a token', async () => {
    const browser = await launchBrowser(after);
    const server = await startBrowserServer(after);
    const account = await server.app.services.accounts.signUp({
      email: 'docs@example.com',
      password: 'correct horse battery',
      nickname: 'Docs',
    });
    const { token } = await server.app.services.developerTokens.createToken(account.id);
    await server.app.services.apps.createApp({ accountId: account.id }, { name: 'Documented app' });

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const res = await page.goto(`${server.baseUrl}/docs`);
    assert.equal(res?.status(), 200);
    assert.match(String(res?.headers()['content-security-policy']), /script-src 'self'/);
    await page
      .locator('.opblock-summary-path', { hasText: '/api/v1/apps/{app_id}/consent-items' })
      .first()
      .waitFor();
    assert.ok((await page.locator('.opblock').count()) >= 20);

    // Authorize with the token, then "Try it out" on GET /api/v1/apps.
    await page.locator('button.authorize').first().click();
    await page.locator('.modal-ux input[type=text], .modal-ux input[type=password]').first().fill(token);
    await page.locator('.modal-ux button.authorize').first().click();
    await page.locator('.modal-ux button.btn-done').first().click();
    const op = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path', { hasText: /^\/api\/v1\/apps$/ }),
    });
    await op.locator('.opblock-summary').click();
    await op.locator('button.try-out__btn').click();
    await op.locator('button.execute').click();
    await op.locator('.live-responses-table .response-col_status', { hasText: '200' }).first().waitFor();
    assert.match((await op.locator('.live-responses-table').textContent()) ?? '', /Documented app/);

    assert.deepEqual(
      problems.filter((p) => /Content Security Policy|Refused to/i.test(p)),
      [],
      'no CSP violations',
    );
  });
});
