/**
 * The JSON management API, black-box through app.inject on both databases:
 * developer-token auth, the policy as HTTP statuses (non-member 404, member 403), validation as
 * JSON field issues that save nothing, every settings section and credential route.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createCast, PNG } from '../modules/apps/fixtures.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

function client(app: FastifyInstance, token?: string) {
  return (method: Method, url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        accept: 'application/json',
        'accept-language': 'en',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

async function setup(t: TestContext) {
  const { app } = await buildTestApp(t);
  const cast = await createCast(app);
  const tokens = app.services.developerTokens;
  const as = {
    owner: client(app, (await tokens.createToken(cast.owner.accountId)).token),
    admin: client(app, (await tokens.createToken(cast.admin.accountId)).token),
    member: client(app, (await tokens.createToken(cast.member.accountId)).token),
    outsider: client(app, (await tokens.createToken(cast.outsider.accountId)).token),
  };
  const res = await as.owner('POST', '/api/v1/apps', {
    name: 'API app',
    redirect_uris: ['https://api.example.com/cb'],
    consent_items: [{ item: 'account_email', mode: 'optional', purpose_en: 'Receipts' }],
  });
  assert.equal(res.statusCode, 201, res.body);
  const created = res.json() as { app_id: number; admin_key: string; rest_api_key: string };
  await joinByInvitation(app, cast.owner, created.app_id, { email: cast.emails.admin, role: 'admin' });
  await joinByInvitation(app, cast.owner, created.app_id, { email: cast.emails.member, role: 'member' });
  return { app, cast, as, created, base: `/api/v1/apps/${created.app_id}` };
}

describe('management API authentication', () => {
  it('answers 401 with WWW-Authenticate without a token, with a bad one, and with a revoked one', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner } = await createCast(app);
    const missing = await client(app)('GET', '/api/v1/apps');
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    assert.equal(missing.json().error.code, 'unauthenticated');
    assert.equal((await client(app, 'yeon_dt_nope')('GET', '/api/v1/apps')).statusCode, 401);

    const { token, id } = await app.services.developerTokens.createToken(owner.accountId);
    assert.equal((await client(app, token)('GET', '/api/v1/apps')).statusCode, 200);
    const revoke = await client(app, token)('DELETE', `/api/v1/tokens/${id}`);
    assert.equal(revoke.statusCode, 204);
    const after = await client(app, token)('GET', '/api/v1/apps');
    assert.equal(after.statusCode, 401);
    assert.equal(after.headers['www-authenticate'], 'Bearer error="invalid_token"');
  });

  it('ignores session cookies: the API only accepts developer tokens', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner } = await createCast(app);
    const { token } = await app.services.sessions.start({ accountId: owner.accountId, remember: false });
    const res = await app.inject({ url: '/api/v1/apps', headers: { cookie: `yeon_session=${token}` } });
    assert.equal(res.statusCode, 401);
  });

  it('creates, lists and revokes developer tokens for the calling account', async (t) => {
    const { as } = await setup(t);
    const created = await as.owner('POST', '/api/v1/tokens', { name: 'deploy' });
    assert.equal(created.statusCode, 201);
    assert.match(created.json().token, /^yeon_dt_/);
    const list = (await as.owner('GET', '/api/v1/tokens')).json().tokens as Array<{ name: string }>;
    assert.deepEqual(list.map((x) => x.name).sort(), ['API token', 'deploy']);
    assert.equal((await as.admin('DELETE', `/api/v1/tokens/${created.json().id}`)).statusCode, 404);
  });
});

describe('management API policy', () => {
  it('gives a non-member 404 on every app route, and a member 403 on changes', async (t) => {
    const { as, base, cast } = await setup(t);
    const routes: Array<[Method, string, unknown?]> = [
      ['GET', base],
      ['DELETE', base],
      ['PUT', `${base}/basics`, { name: 'x' }],
      [
        'PUT',
        `${base}/login`,
        { kakao_login_enabled: true, oidc_enabled: true, redirect_uris: [], logout_redirect_uris: [] },
      ],
      ['PUT', `${base}/consent-items`, { items: [] }],
      ['PUT', `${base}/platforms`, { site_urls: [] }],
      ['PUT', `${base}/unlink`, { callback_url: null, method: 'POST', state: 'active' }],
      ['PUT', `${base}/icon`, { image_base64: PNG.toString('base64') }],
      ['DELETE', `${base}/icon`],
      ['POST', `${base}/admin-keys`],
      ['DELETE', `${base}/admin-keys/key_x`],
      ['PUT', `${base}/client-secret`, { enabled: true }],
      ['POST', `${base}/client-secret/regenerate`],
      ['POST', `${base}/webhook-secrets/rotate`],
      ['POST', `${base}/unlink/test`],
      ['POST', `${base}/invitations`, { email: cast.emails.outsider, role: 'member' }],
      ['GET', `${base}/invitations`],
      ['DELETE', `${base}/invitations/inv_x`],
      ['PUT', `${base}/members/${cast.member.accountId}`, { role: 'admin' }],
      // (deleting their own membership is leaving, which a member may do)
      ['DELETE', `${base}/members/${cast.admin.accountId}`],
    ];
    for (const [method, url, body] of routes) {
      const res = await as.outsider(method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'not_found');
    }
    for (const [method, url, body] of routes) {
      if (method === 'GET') continue;
      const res = await as.member(method, url, body);
      assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
    }
    assert.equal((await as.member('GET', base)).json().keys.admin[0].key, null);
    assert.equal((await as.admin('DELETE', base)).statusCode, 403);
    assert.equal((await as.owner('GET', '/api/v1/apps/123456789012')).statusCode, 404);
    assert.equal((await as.owner('DELETE', base)).statusCode, 204);
    assert.equal((await as.owner('GET', base)).statusCode, 404);
  });
});

describe('management API settings', () => {
  it('reports every invalid field as a JSON issue and saves nothing', async (t) => {
    const { as, base } = await setup(t);
    const before = (await as.owner('GET', base)).json();
    const res = await as.owner('PUT', `${base}/login`, {
      kakao_login_enabled: false,
      oidc_enabled: false,
      redirect_uris: ['https://ok.example.com/cb', 'http://evil.example.com/cb', 'https://ok.example.com/cb'],
      logout_redirect_uris: ['https://ok.example.com/bye#x'],
    });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(
      error.issues.map((i: { field: string }) => i.field),
      ['redirect_uris', 'redirect_uris', 'logout_redirect_uris'],
    );
    assert.match(error.issues[0].message, /http:\/\/evil\.example\.com\/cb.*https/);
    assert.deepEqual((await as.owner('GET', base)).json(), before);

    const schema = await as.owner('PUT', `${base}/login`, {
      kakao_login_enabled: 'maybe',
      redirect_uris: 'x',
    });
    assert.equal(schema.statusCode, 400);
    assert.ok(schema.json().error.issues.length > 0);
    const consent = await as.owner('PUT', `${base}/consent-items`, {
      items: [{ item: 'shoe_size', mode: 'required' }],
    });
    assert.equal(consent.statusCode, 400);
    assert.match(consent.json().error.issues[0].message, /shoe_size/);
    assert.deepEqual((await as.owner('GET', base)).json(), before);
  });

  it('replaces each section and answers with the saved app', async (t) => {
    const { as, base } = await setup(t);
    let res = await as.owner('PUT', `${base}/basics`, {
      name: 'Renamed',
      company_name: 'ACME',
      privacy_policy_url: 'https://acme.example/privacy',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().company_name, 'ACME');
    res = await as.admin('PUT', `${base}/login`, {
      kakao_login_enabled: true,
      oidc_enabled: false,
      redirect_uris: ['http://localhost:3000/cb'],
      logout_redirect_uris: ['https://api.example.com/bye'],
      javascript_origins: ['https://api.example.com'],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().login, {
      kakao_login_enabled: true,
      oidc_enabled: false,
      redirect_uris: ['http://localhost:3000/cb'],
      logout_redirect_uris: ['https://api.example.com/bye'],
      javascript_origins: ['https://api.example.com'],
      require_pkce: false,
      strict_oauth: false,
    });
    res = await as.owner('PUT', `${base}/consent-items`, {
      items: [{ item: 'gender', mode: 'during-use', purpose_ko: '맞춤 추천' }],
    });
    const items = res.json().consent_items as Array<{ item: string; mode: string }>;
    assert.deepEqual(
      items.filter((i) => i.mode !== 'off').map((i) => `${i.item}=${i.mode}`),
      ['profile_nickname=required', 'account_email=optional', 'gender=during_use'],
    );
    res = await as.owner('PUT', `${base}/platforms`, {
      site_urls: ['https://api.example.com'],
      android: { package_name: 'com.example.api', market_url: 'market://details?id=com.example.api' },
      ios: { bundle_id: 'com.example.api' },
    });
    assert.deepEqual(res.json().platforms, {
      site_urls: ['https://api.example.com'],
      android: { package_name: 'com.example.api', market_url: 'market://details?id=com.example.api' },
      ios: { bundle_id: 'com.example.api', app_store_url: null },
    });
    res = await as.owner('PUT', `${base}/icon`, { image_base64: PNG.toString('base64') });
    assert.equal(res.statusCode, 204);
    assert.equal((await as.owner('GET', base)).json().icon.content_type, 'image/png');
    res = await as.owner('PUT', `${base}/icon`, {
      image_base64: Buffer.from('not an image').toString('base64'),
    });
    assert.equal(res.statusCode, 400);
    res = await as.owner('PUT', `${base}/unlink`, {
      callback_url: 'http://169.254.169.254/x',
      method: 'POST',
      state: 'active',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.issues[0].message, /metadata/);
  });

  it('refuses form bodies: the API scope parses JSON only', async (t) => {
    const { app } = await setup(t);
    const { owner } = await createCast(app);
    const { token } = await app.services.developerTokens.createToken(owner.accountId);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'bad_request');
  });
});

describe('management API credentials', () => {
  it('rotates admin keys (old one valid until revoked), toggles and regenerates the client secret', async (t) => {
    const { app, as, base, created } = await setup(t);
    const rotated = await as.admin('POST', `${base}/admin-keys`);
    assert.equal(rotated.statusCode, 201);
    assert.ok(await app.services.apps.findAppByAdminKey(created.admin_key));
    assert.ok(await app.services.apps.findAppByAdminKey(rotated.json().key));
    const keys = (await as.owner('GET', base)).json().keys.admin as Array<{ id: string; key: string }>;
    assert.equal(keys[0]!.key, rotated.json().key);
    assert.equal((await as.owner('DELETE', `${base}/admin-keys/${keys[1]!.id}`)).statusCode, 204);
    assert.equal(await app.services.apps.findAppByAdminKey(created.admin_key), undefined);
    const last = await as.owner('DELETE', `${base}/admin-keys/${keys[0]!.id}`);
    assert.equal(last.statusCode, 409);
    assert.equal(last.json().error.code, 'app_last_admin_key');

    assert.deepEqual((await as.owner('PUT', `${base}/client-secret`, { enabled: true })).json(), {
      enabled: true,
    });
    const secret = (await as.owner('POST', `${base}/client-secret/regenerate`)).json().client_secret;
    const detail = (await as.owner('GET', base)).json();
    assert.deepEqual(detail.client_secret, { enabled: true, value: secret });

    const rotatedHook = await as.owner('POST', `${base}/webhook-secrets/rotate`);
    assert.match(rotatedHook.json().secret, /^whsec_/);
    assert.equal((await as.owner('GET', base)).json().unlink.webhook_secrets.length, 2);
  });

  it('sends a signed test notification to a loopback receiver for an admin', async (t) => {
    const { as, base, created } = await setup(t);
    const seen: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/unlink`;

    const set = await as.owner('PUT', `${base}/unlink`, {
      callback_url: url,
      method: 'POST',
      state: 'active',
    });
    assert.equal(set.statusCode, 200, set.body);
    const res = await as.admin('POST', `${base}/unlink/test`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().ok, true);
    assert.equal(res.json().status, 200);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.headers.authorization, `KakaoAK ${created.admin_key}`);
    assert.match(String(seen[0]!.headers['webhook-signature']), /^v1,/);
    assert.match(seen[0]!.body, new RegExp(`app_id=${created.app_id}`));
  });
});

describe('OpenAPI', () => {
  it('lists every management route at /docs/json with the bearer scheme', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await app.inject({ url: '/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    assert.deepEqual(doc.components.securitySchemes.developerToken, { type: 'http', scheme: 'bearer' });
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, m]) =>
      Object.keys(m).map((verb) => `${verb.toUpperCase()} ${p}`),
    );
    for (const expected of [
      'GET /api/v1/apps',
      'POST /api/v1/apps',
      'GET /api/v1/apps/{app_id}',
      'DELETE /api/v1/apps/{app_id}',
      'PUT /api/v1/apps/{app_id}/basics',
      'PUT /api/v1/apps/{app_id}/login',
      'PUT /api/v1/apps/{app_id}/consent-items',
      'PUT /api/v1/apps/{app_id}/platforms',
      'PUT /api/v1/apps/{app_id}/unlink',
      'PUT /api/v1/apps/{app_id}/icon',
      'POST /api/v1/apps/{app_id}/admin-keys',
      'DELETE /api/v1/apps/{app_id}/admin-keys/{key_id}',
      'PUT /api/v1/apps/{app_id}/client-secret',
      'POST /api/v1/apps/{app_id}/client-secret/regenerate',
      'POST /api/v1/apps/{app_id}/webhook-secrets/rotate',
      'POST /api/v1/apps/{app_id}/unlink/test',
      'POST /api/v1/apps/{app_id}/invitations',
      'GET /api/v1/apps/{app_id}/invitations',
      'DELETE /api/v1/apps/{app_id}/invitations/{invitation_id}',
      'PUT /api/v1/apps/{app_id}/members/{account_id}',
      'DELETE /api/v1/apps/{app_id}/members/{account_id}',
      'POST /api/v1/tokens',
    ])
      assert.ok(ops.includes(expected), `missing ${expected}`);
    assert.ok(!ops.some((o) => o.includes('/docs')), 'the docs routes are not API operations');
    const create = doc.paths['/api/v1/apps'].post;
    assert.ok(create.requestBody.content['application/json'].schema.properties.redirect_uris);
    assert.ok(create.responses['201']);
  });

  it('serves Swagger UI at /docs with only same-origin scripts under the site CSP', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await app.inject({ url: '/docs', headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    const scripts = [...res.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    assert.ok(scripts.length >= 3);
    for (const [, attrs, inline] of scripts) {
      assert.match(attrs!, /src="\/docs\/static\//);
      assert.equal(inline!.trim(), '', 'no inline script');
    }
    const init = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    assert.equal(init.statusCode, 200);
    assert.match(init.body, /docs\/json|json/);
  });
});
