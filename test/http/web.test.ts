/**
 * Web basics: security headers on every HTML response, Korean or English chosen by
 * the language cookie, then Accept-Language, then the configured default.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

function assertSecurityHeaders(res: LightMyRequestResponse, url: string): void {
  const csp = String(res.headers['content-security-policy'] ?? '');
  assert.match(csp, /frame-ancestors 'none'/, `${url}: CSP frame-ancestors`);
  assert.match(csp, /default-src 'self'/, `${url}: CSP default-src`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${url}: no unsafe CSP`);
  assert.equal(res.headers['x-frame-options'], 'DENY', `${url}: X-Frame-Options`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`);
  assert.ok(res.headers['referrer-policy'], `${url}: Referrer-Policy`);
}

function htmlLang(body: string): string | undefined {
  return /<html lang="([a-z]+)"/.exec(body)?.[1];
}

describe('security headers', () => {
  it('are on every HTML page, including error pages, and pages are not cached', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app);
    for (const url of ['/', '/login', '/signup', '/no-such-page']) {
      const res = await agent.get(url);
      assert.match(String(res.headers['content-type']), /^text\/html/, url);
      assertSecurityHeaders(res, url);
      assert.equal(res.headers['cache-control'], 'no-store', `${url}: no-store`);
    }
    await agent.signUp('mina@example.com');
    assertSecurityHeaders(await agent.get('/account'), '/account');
    const csrf = await agent.post('/account', { _csrf: 'forged', nickname: 'x' });
    assert.equal(csrf.statusCode, 403);
    assertSecurityHeaders(csrf, 'POST /account (403)');
  });

  it('keeps nosniff and frame denial on non-HTML responses too', async (t) => {
    const { app } = await buildTestApp(t);
    for (const url of ['/healthz', '/assets/yeon.css']) {
      const res = await app.inject({ url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
    }
  });
});

describe('language', () => {
  it('is Korean by default', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await app.inject({ url: '/login', headers: { accept: 'text/html' } });
    assert.equal(htmlLang(res.body), 'ko');
    assert.equal(res.headers['content-language'], 'ko');
    assert.match(res.body, /<h1>로그인<\/h1>/);
  });

  const negotiated: Array<[string, string]> = [
    ['en-US,en;q=0.9', 'en'],
    ['ko-KR,ko;q=0.9,en;q=0.5', 'ko'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.2, ko;q=0.8', 'ko'],
    ['de, fr', 'ko'],
  ];
  for (const [header, expected] of negotiated) {
    it(`follows Accept-Language ${JSON.stringify(header)} → ${expected}`, async (t) => {
      const { app } = await buildTestApp(t);
      const res = await app.inject({
        url: '/login',
        headers: { accept: 'text/html', 'accept-language': header },
      });
      assert.equal(htmlLang(res.body), expected);
      assert.equal(res.headers['content-language'], expected);
    });
  }

  it('falls back to YEON_DEFAULT_LOCALE', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_DEFAULT_LOCALE: 'en' } });
    const res = await app.inject({
      url: '/login',
      headers: { accept: 'text/html', 'accept-language': 'de' },
    });
    assert.equal(htmlLang(res.body), 'en');
    assert.match(res.body, /<h1>Log in<\/h1>/);
  });

  it('remembers the switch (/lang?to=en) in a cookie that wins over Accept-Language', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app, { 'accept-language': 'ko-KR,ko' });
    const page = await agent.get('/login');
    assert.equal(htmlLang(page.body), 'ko');
    assert.match(page.body, /href="\/lang\?to=en&amp;next=%2Flogin"/, 'the page links to the switch');

    const res = await agent.get('/lang?to=en&next=%2Flogin');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login');
    assert.equal(agent.cookies.get('yeon_lang'), 'en');
    const after = await agent.get('/login');
    assert.equal(htmlLang(after.body), 'en');
    assert.match(after.body, /<h1>Log in<\/h1>/);

    await agent.get('/lang?to=ko');
    assert.equal(htmlLang((await agent.get('/login')).body), 'ko');
  });

  it('ignores unknown languages and never redirects off-site from the switch', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await app.inject({ url: '/lang?to=xx&next=//evil.com' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.equal(
      (res.cookies as Array<{ name: string }>).some((c) => c.name === 'yeon_lang'),
      false,
    );
  });

  it("stores a signed-in person's choice on the account", async (t) => {
    const { app, db } = await buildTestApp(t);
    const agent = new Agent(app, { 'accept-language': 'ko' });
    await agent.signUp('mina@example.com');
    assert.equal((await db.selectFrom('accounts').select('locale').executeTakeFirstOrThrow()).locale, 'ko');
    await agent.get('/lang?to=en&next=/account');
    assert.equal((await db.selectFrom('accounts').select('locale').executeTakeFirstOrThrow()).locale, 'en');
  });
});
