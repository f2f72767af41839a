/**
 * Developer console pages: an app is created from /developers, and every
 * settings form saves valid input and, for invalid input, answers 400 with the form shown again —
 * the typed values kept, the error named — and saves nothing (checked through the service).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSENT_ITEMS } from '../../src/modules/apps/apps.types.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  checkedValue,
  createAppViaPage,
  detailOf,
  inputValue,
  signedIn,
  submit,
  textareaValue,
} from './console-helpers.ts';

describe('developer console: /developers', () => {
  it('sends a signed-out visitor to the login page and back', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await app.inject({ url: '/developers', headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?next=%2Fdevelopers');
  });

  it('creates an app, lists it with the owner role, and links the header to the console', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const empty = await mina.get('/developers');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /<a href="\/developers">Developers<\/a>/);
    assert.match(empty.body, /You do not belong to any app yet/);

    const appId = await createAppViaPage(mina, 'Mina Shop', 'Mina Inc.');
    const list = await mina.get('/developers');
    assert.match(list.body, new RegExp(`href="/developers/apps/${appId}"`));
    assert.match(list.body, /Mina Shop/);
    assert.match(list.body, /Mina Inc\. · Owner/);

    const overview = await mina.get(`/developers/apps/${appId}?done=created`);
    assert.equal(overview.statusCode, 200);
    assert.match(overview.body, /Your app has been created/);
    const detail = await detailOf(app, mina.accountId, appId);
    for (const key of [String(appId), detail.keys.rest_api, detail.keys.javascript, detail.keys.native])
      assert.ok(overview.body.includes(key), `overview shows ${key}`);
    assert.ok(overview.body.includes(detail.keys.admin[0]!.key!), 'the owner sees the admin key');
    assert.match(overview.body, /<nav class="subnav" aria-label="App settings">/);
    assert.match(overview.body, new RegExp(`href="/developers/apps/${appId}" aria-current="page"`));
  });

  it('shows the create form again with the error and the typed company, and creates nothing', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    await mina.get('/developers');
    const res = await mina.post('/developers/apps', { name: '  ', company_name: 'Kept Co' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="error-summary"/);
    assert.match(res.body, /<a href="#name">This field is required\.<\/a>/);
    assert.equal(inputValue(res.body, 'company_name'), 'Kept Co');
    assert.deepEqual(await app.services.apps.listAppsForAccount({ accountId: mina.accountId }), []);
  });
});

describe('developer console: settings forms', () => {
  it('basics: saves, and re-renders a bad privacy policy URL without saving', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}`;
    const ok = await submit(mina, page, `${page}/basics`, {
      name: 'Renamed',
      company_name: 'Co',
      description: 'Line one\nLine two',
      privacy_policy_url: 'https://example.com/privacy',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `${page}?done=saved`);
    const saved = await detailOf(app, mina.accountId, id);
    assert.equal(saved.name, 'Renamed');
    assert.equal(saved.description, 'Line one\nLine two');

    const bad = await submit(mina, page, `${page}/basics`, {
      name: 'Другое',
      company_name: 'Co',
      description: '',
      privacy_policy_url: 'not a url',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#privacy_policy_url"/);
    assert.match(bad.body, /“not a url” is not a full URL/);
    assert.equal(inputValue(bad.body, 'name'), 'Другое');
    assert.equal(inputValue(bad.body, 'privacy_policy_url'), 'not a url');
    assert.equal((await detailOf(app, mina.accountId, id)).name, 'Renamed');
  });

  it('login: saves switches and URIs, and keeps a non-https redirect URI out', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/login`;
    const ok = await submit(mina, page, page, {
      kakao_login_enabled: 'on',
      oidc_enabled: 'off',
      redirect_uris: 'https://shop.example.com/callback\r\nhttp://localhost:3000/cb\r\n',
      logout_redirect_uris: 'https://shop.example.com/bye',
      javascript_origins: 'https://shop.example.com',
    });
    assert.equal(ok.statusCode, 303);
    const saved = (await detailOf(app, mina.accountId, id)).login;
    assert.deepEqual(saved.redirect_uris, ['https://shop.example.com/callback', 'http://localhost:3000/cb']);
    assert.equal(saved.oidc_enabled, false);
    assert.deepEqual(saved.javascript_origins, ['https://shop.example.com']);
    const shown = await mina.get(page);
    assert.equal(checkedValue(shown.body, 'oidc_enabled'), 'off');
    assert.equal(textareaValue(shown.body, 'logout_redirect_uris'), 'https://shop.example.com/bye');

    const typed = 'https://shop.example.com/callback\nhttp://shop.example.com/insecure';
    const bad = await submit(mina, page, page, {
      kakao_login_enabled: 'on',
      oidc_enabled: 'on',
      redirect_uris: typed,
      logout_redirect_uris: '',
      javascript_origins: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /“http:\/\/shop\.example\.com\/insecure” must use https:\/\//);
    assert.equal(textareaValue(bad.body, 'redirect_uris'), typed);
    assert.equal(checkedValue(bad.body, 'oidc_enabled'), 'on');
    assert.deepEqual((await detailOf(app, mina.accountId, id)).login, saved);
  });

  it('consent: saves modes and purposes, and refuses an unknown mode without saving', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/consent`;
    const shown = await mina.get(page);
    assert.match(shown.body, /Changes apply to future consents only/);
    assert.match(shown.body, /<th scope="row">Email<\/th>/);
    assert.equal((shown.body.match(/<select id="consent_items\./g) ?? []).length, 9);

    // A browser sends every select (one option is always selected).
    const form: Record<string, string> = {
      ...Object.fromEntries(CONSENT_ITEMS.map((item) => [`consent_items.${item}`, 'off'])),
      'consent_items.profile_nickname': 'required',
      'consent_items.account_email': 'optional',
      'consent_items.account_email.purpose_ko': '주문 알림',
      'consent_items.account_email.purpose_en': 'Order updates',
      'consent_items.phone_number': 'during_use',
    };
    const ok = await mina.post(page, form);
    assert.equal(ok.statusCode, 303);
    const saved = (await detailOf(app, mina.accountId, id)).consent_items;
    const email = saved.find((c) => c.item === 'account_email');
    assert.deepEqual(email, {
      item: 'account_email',
      mode: 'optional',
      purpose_ko: '주문 알림',
      purpose_en: 'Order updates',
    });
    assert.equal(saved.find((c) => c.item === 'phone_number')?.mode, 'during_use');
    const phone = /<select[^>]*name="consent_items\.phone_number"[^>]*>[\s\S]*?<\/select>/.exec(
      (await mina.get(page)).body,
    )?.[0];
    assert.match(phone ?? '', /<option value="during_use" selected>/);

    const bad = await submit(mina, page, page, { ...form, 'consent_items.gender': 'sometimes' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#consent_items\.gender"/);
    assert.equal(inputValue(bad.body, 'consent_items.account_email.purpose_ko'), '주문 알림');
    assert.deepEqual((await detailOf(app, mina.accountId, id)).consent_items, saved);
  });

  it('platforms: saves Web, Android and iOS, and refuses a bad package name without saving', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/platforms`;
    const ok = await submit(mina, page, page, {
      site_urls: 'https://shop.example.com',
      'android.package_name': 'com.example.shop',
      'android.market_url': '',
      'ios.bundle_id': 'com.example.shop',
      'ios.app_store_url': 'https://apps.apple.com/app/id123',
    });
    assert.equal(ok.statusCode, 303);
    const saved = (await detailOf(app, mina.accountId, id)).platforms;
    assert.equal(saved.android?.package_name, 'com.example.shop');
    assert.equal(saved.ios?.app_store_url, 'https://apps.apple.com/app/id123');

    const bad = await submit(mina, page, page, {
      site_urls: 'https://shop.example.com\nhttps://other.example.com',
      'android.package_name': 'not a package',
      'android.market_url': '',
      'ios.bundle_id': '',
      'ios.app_store_url': '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#android\.package_name"/);
    assert.equal(inputValue(bad.body, 'android.package_name'), 'not a package');
    assert.equal(textareaValue(bad.body, 'site_urls'), 'https://shop.example.com\nhttps://other.example.com');
    assert.deepEqual((await detailOf(app, mina.accountId, id)).platforms, saved);
  });

  it('unlink: saves a loopback callback, and refuses a bad URL and method without saving', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/unlink`;
    const shown = await mina.get(page);
    assert.match(shown.body, /whsec_/);
    assert.match(shown.body, /Not configured: the operator has not published the source addresses/);
    const ok = await mina.post(page, {
      callback_url: 'http://127.0.0.1:9/unlink',
      method: 'GET',
      state: 'paused',
      format: 'json',
    });
    assert.equal(ok.statusCode, 303);
    const saved = (await detailOf(app, mina.accountId, id)).unlink;
    assert.equal(saved.callback_url, 'http://127.0.0.1:9/unlink');
    assert.equal(saved.state, 'paused');

    const bad = await submit(mina, page, page, {
      callback_url: 'ftp://files.example.com',
      method: 'PUT',
      state: 'active',
      format: 'kakao',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#callback_url"/);
    assert.match(bad.body, /href="#method"/);
    assert.equal(inputValue(bad.body, 'callback_url'), 'ftp://files.example.com');
    assert.deepEqual((await detailOf(app, mina.accountId, id)).unlink, saved);
  });

  it('unlink: lists the published source IPs from YEON_EGRESS_IPS', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_EGRESS_IPS: '203.0.113.7, 198.51.100.0/28' } });
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const res = await mina.get(`/developers/apps/${id}/unlink`);
    assert.match(res.body, /<code>203\.0\.113\.7<\/code>/);
    assert.match(res.body, /<code>198\.51\.100\.0\/28<\/code>/);
  });

  it('unlink: refuses private and metadata callback addresses, naming the address', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/unlink`;
    const before = (await detailOf(app, mina.accountId, id)).unlink;
    const form = { method: 'POST', state: 'active', format: 'kakao' };
    const internal = await submit(mina, page, page, { ...form, callback_url: 'http://10.1.2.3/unlink' });
    assert.equal(internal.statusCode, 400);
    assert.match(internal.body, /points to a private or internal address \(10\.1\.2\.3\)/);
    const metadata = await submit(mina, page, page, {
      ...form,
      callback_url: 'http://169.254.169.254/latest',
    });
    assert.equal(metadata.statusCode, 400);
    assert.match(metadata.body, /cloud metadata or link-local address/);
    assert.deepEqual((await detailOf(app, mina.accountId, id)).unlink, before);
  });
});

/** Text a person reads: text nodes and the attributes browsers and screen readers show. */
function visibleText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  return [text, ...attrs].join('\n');
}

const RAW_KEY = /\b(?:console|apps|validation|error|common|nav|field)\.[a-z_]+(?:\.[a-z_]+)*/g;

describe('developer console: languages', () => {
  for (const locale of ['ko', 'en'] as const) {
    it(`renders every console page and error in ${locale} with no raw message key`, async (t) => {
      const { app } = await buildTestApp(t);
      const mina = await signedIn(app, 'mina@example.com');
      mina.headers['accept-language'] = locale;
      const id = await createAppViaPage(mina);
      const base = `/developers/apps/${id}`;
      const pages: Array<[string, string]> = [];
      for (const p of [
        '/developers',
        base,
        `${base}/login`,
        `${base}/consent`,
        `${base}/platforms`,
        `${base}/unlink`,
        `${base}/members`,
      ])
        pages.push([p, (await mina.get(`${p}?done=saved`)).body]);
      const errors: Array<[string, Record<string, string>]> = [
        ['/developers/apps', { name: '' }],
        [`${base}/basics`, { name: '', privacy_policy_url: 'x' }],
        [`${base}/delete`, { confirm_name: 'no' }],
        [`${base}/login`, { redirect_uris: 'http://a.example.com\nhttp://a.example.com' }],
        [`${base}/consent`, { 'consent_items.gender': 'x' }],
        [`${base}/platforms`, { 'android.package_name': 'x', 'ios.bundle_id': '?' }],
        [`${base}/unlink`, { callback_url: 'http://10.0.0.1/', method: 'x', state: 'x', format: 'x' }],
        [`${base}/members`, { email: 'nobody@example.com', role: 'x' }],
        [`${base}/members/${mina.accountId}/remove`, {}],
      ];
      for (const [url, form] of errors) {
        await mina.get('/developers');
        const res = await mina.post(url, form);
        assert.ok(res.statusCode >= 400, `${url} refused`);
        pages.push([`POST ${url}`, res.body]);
      }
      pages.push(['404', (await mina.get('/developers/apps/1')).body]);
      for (const [name, body] of pages) {
        assert.match(body, new RegExp(`<html lang="${locale}"`), name);
        assert.deepEqual(
          [...visibleText(body).matchAll(RAW_KEY)].map((m) => m[0]),
          [],
          `${name} (${locale})`,
        );
        if (locale === 'ko') assert.match(visibleText(body), /[\uac00-\ud7a3]/, name);
      }
    });
  }
});
