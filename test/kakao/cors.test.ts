/**
 * CORS on the Kakao user APIs (src/kakao/cors.ts; Fetch Standard §3.2 "CORS protocol"): the Kakao
 * JavaScript SDK calls them from an app's registered Web domains with `Authorization: Bearer` and
 * its `KA` header. Only those domains, only for that app's tokens, never for admin keys.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createKakaoApp, type KakaoApp, setup } from './helpers.ts';

const SITE = 'https://shop.example';
const OTHER_SITE = 'https://other-shop.example';
const STRANGER = 'https://evil.example';

async function registerOrigins(app: FastifyInstance, client: KakaoApp, origins: string[]) {
  await app.services.apps.updateLoginSettings({ accountId: client.ownerId }, client.app_id, {
    kakao_login_enabled: true,
    oidc_enabled: true,
    redirect_uris: ['https://rp.example/callback'],
    logout_redirect_uris: [],
    javascript_origins: origins,
  });
}

/** A linked person with a token at an app that registers SITE; another app registers OTHER_SITE. */
async function corsSetup(t: Parameters<typeof setup>[0]) {
  const fixture = await setup(t);
  await registerOrigins(fixture.app, fixture.client, [SITE]);
  await registerOrigins(fixture.app, await createKakaoApp(fixture.app), [OTHER_SITE]);
  return fixture;
}

function preflight(app: FastifyInstance, url: string, origin: string, method = 'GET') {
  return app.inject({
    method: 'OPTIONS',
    url,
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization,ka',
    },
  });
}

function call(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  origin: string,
  authorization: string,
) {
  return app.inject({
    method,
    url,
    headers: {
      origin,
      authorization,
      ka: 'sdk/2.7.4 os/javascript lang/ko-KR',
      ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(method === 'POST' ? { payload: '' } : {}),
  });
}

function assertNoCors(res: LightMyRequestResponse, what: string) {
  const names = Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
  assert.deepEqual(names, [], `${what}: ${JSON.stringify(res.headers)}`);
}

function assertAllowedPreflight(res: LightMyRequestResponse, origin: string, what: string) {
  assert.equal(res.statusCode, 204, what);
  assert.equal(res.headers['access-control-allow-origin'], origin, what);
  assert.equal(res.headers['access-control-allow-methods'], 'GET, POST', what);
  assert.equal(res.headers['access-control-allow-headers'], 'Authorization, Content-Type, KA', what);
  assert.match(String(res.headers['access-control-max-age']), /^\d+$/, what);
  assert.match(String(res.headers.vary), /\bOrigin\b/, what);
}

/** Every user API route the SDK may call with a user's token. */
const USER_API_ROUTES = [
  '/v2/user/me',
  '/v1/user/unlink',
  '/v1/user/logout',
  '/v1/user/access_token_info',
  '/v1/user/update_profile',
  '/v2/user/scopes',
  '/v2/user/revoke/scopes',
];

/** The reads the SDK makes with a token (method, path). */
const READS: Array<['GET' | 'POST', string]> = [
  ['GET', '/v2/user/me'],
  ['POST', '/v2/user/me'],
  ['GET', '/v1/user/access_token_info'],
  ['GET', '/v2/user/scopes'],
];

describe('CORS on the Kakao user APIs', () => {
  test('a registered Web domain: preflight on every user API route, and the responses', async (t) => {
    const { app, token } = await corsSetup(t);
    for (const url of USER_API_ROUTES) assertAllowedPreflight(await preflight(app, url, SITE), SITE, url);
    for (const [method, url] of READS) {
      const res = await call(app, method, url, SITE, `Bearer ${token}`);
      assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
      assert.equal(res.headers['access-control-allow-origin'], SITE, `${method} ${url}`);
      assert.match(String(res.headers.vary), /\bOrigin\b/);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  test('an error for a live token of this app is readable too', async (t) => {
    const { app, token } = await corsSetup(t);
    const res = await call(app, 'GET', '/v2/user/scopes?scopes=not-json', SITE, `Bearer ${token}`);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
  });

  test('logout answers with the header although it destroys the token it was called with', async (t) => {
    const { app, token } = await corsSetup(t);
    const res = await call(app, 'POST', '/v1/user/logout', SITE, `Bearer ${token}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
  });

  test('an origin no app registered gets nothing', async (t) => {
    const { app, token } = await corsSetup(t);
    for (const url of USER_API_ROUTES) assertNoCors(await preflight(app, url, STRANGER), `preflight ${url}`);
    for (const [method, url] of READS) {
      const res = await call(app, method, url, STRANGER, `Bearer ${token}`);
      assert.equal(res.statusCode, 200, res.body);
      assertNoCors(res, `${method} ${url}`);
    }
    assertNoCors(await call(app, 'GET', '/v2/user/me', 'null', `Bearer ${token}`), 'opaque origin');
  });

  test("another app's Web domain passes the preflight but gets nothing with this app's token", async (t) => {
    const { app, token } = await corsSetup(t);
    assertAllowedPreflight(await preflight(app, '/v2/user/me', OTHER_SITE), OTHER_SITE, 'preflight');
    for (const [method, url] of READS) {
      const res = await call(app, method, url, OTHER_SITE, `Bearer ${token}`);
      assert.equal(res.statusCode, 200, res.body);
      assertNoCors(res, `${method} ${url}`);
    }
  });

  test('admin-key calls and admin-only routes never get CORS', async (t) => {
    const { app, client, appUserId } = await corsSetup(t);
    const target = `target_id_type=user_id&target_id=${appUserId}`;
    for (const url of [`/v2/user/me?${target}`, `/v2/user/scopes?${target}`]) {
      const res = await call(app, 'GET', url, SITE, `KakaoAK ${client.admin_key}`);
      assert.equal(res.statusCode, 200, res.body);
      assertNoCors(res, url);
    }
    for (const url of ['/v1/user/ids', '/v2/app/users']) {
      assertNoCors(await preflight(app, url, SITE), `preflight ${url}`);
      assertNoCors(await call(app, 'GET', url, SITE, `KakaoAK ${client.admin_key}`), url);
    }
  });

  test('a token that is not live gets nothing: the app cannot be told', async (t) => {
    const { app } = await corsSetup(t);
    const res = await call(app, 'GET', '/v2/user/me', SITE, 'Bearer not-a-token');
    assert.equal(res.statusCode, 401);
    assertNoCors(res, 'unknown token');
  });

  test('an app with Kakao Login off: its Web domains pass no preflight', async (t) => {
    const { app, client } = await setup(t);
    await app.services.apps.updateLoginSettings({ accountId: client.ownerId }, client.app_id, {
      kakao_login_enabled: false,
      oidc_enabled: true,
      redirect_uris: ['https://rp.example/callback'],
      logout_redirect_uris: [],
      javascript_origins: [SITE],
    });
    assertNoCors(await preflight(app, '/v2/user/me', SITE), 'preflight');
  });
});
