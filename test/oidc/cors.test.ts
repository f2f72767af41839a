/**
 * CORS on the OAuth engine's browser routes, /oauth/token and /v1/oidc/userinfo (src/kakao/cors.ts;
 * Fetch Standard §3.2 "CORS protocol"): only an app's registered Web domains, as the Kakao
 * JavaScript SDK needs. oidc-provider on its own answers every origin (lib/shared/cors.js).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  LOGOUT_URI,
  postForm,
  REDIRECT_URI,
  type TestClient,
} from './engine-fixtures.ts';

const SITE = 'https://shop.example';
const OTHER_SITE = 'https://other-shop.example';
const STRANGER = 'https://evil.example';

async function registerOrigins(app: FastifyInstance, client: TestClient, origins: string[]) {
  await app.services.apps.updateLoginSettings({ accountId: client.ownerId }, client.app_id, {
    kakao_login_enabled: true,
    oidc_enabled: true,
    redirect_uris: [REDIRECT_URI],
    logout_redirect_uris: [LOGOUT_URI],
    javascript_origins: origins,
  });
}

/** This app registers SITE; another app registers OTHER_SITE; STRANGER is no one's. */
async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t);
  const client = await createClientApp(app);
  const other = await createClientApp(app);
  await registerOrigins(app, client, [SITE]);
  await registerOrigins(app, other, [OTHER_SITE]);
  return { app, client };
}

/** A fresh person through the browser leg; returns the form of the code exchange. */
async function codeExchange(app: FastifyInstance, client: TestClient) {
  const person = await createPerson(app);
  const browser = new Agent(app);
  await browser.login(person.email);
  const flow = await authorizeThroughEngine(app, {
    clientId: client.rest_api_key,
    appId: client.app_id,
    accountId: person.id,
    scope: 'openid profile_nickname',
    browser,
  });
  assert.ok(flow.code, `no code: ${flow.res.headers.location}`);
  return {
    client_id: client.rest_api_key,
    grant_type: 'authorization_code',
    redirect_uri: REDIRECT_URI,
    code: flow.code,
    code_verifier: flow.verifier,
  };
}

function preflight(app: FastifyInstance, url: string, origin: string, method = 'POST') {
  return app.inject({
    method: 'OPTIONS',
    url,
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization,content-type,ka',
    },
  });
}

function corsHeaders(res: LightMyRequestResponse): string[] {
  return Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
}

function assertNoCors(res: LightMyRequestResponse, what: string) {
  assert.deepEqual(corsHeaders(res), [], `${what}: ${JSON.stringify(res.headers)}`);
}

function assertAllowedPreflight(res: LightMyRequestResponse, origin: string) {
  assert.equal(res.statusCode, 204);
  assert.equal(res.headers['access-control-allow-origin'], origin);
  assert.equal(res.headers['access-control-allow-methods'], 'GET, POST');
  assert.equal(res.headers['access-control-allow-headers'], 'Authorization, Content-Type, KA');
  assert.match(String(res.headers['access-control-max-age']), /^\d+$/);
  assert.match(String(res.headers.vary), /\bOrigin\b/);
}

describe('CORS on /oauth/token', () => {
  test('an origin no app registered gets no Access-Control-Allow-Origin, on preflight or response', async (t) => {
    const { app, client } = await setup(t);
    assertNoCors(await preflight(app, '/oauth/token', STRANGER), 'preflight');

    const refused = await postForm(
      app,
      '/oauth/token',
      { client_id: 'no-such-key', grant_type: 'authorization_code', code: 'x' },
      { origin: STRANGER },
    );
    assert.equal(refused.statusCode, 401);
    assertNoCors(refused, 'error before the client is known');

    // served (CORS guards reading, not acting), but not readable from that origin
    const res = await postForm(app, '/oauth/token', await codeExchange(app, client), { origin: STRANGER });
    assert.equal(res.statusCode, 200, res.body);
    assertNoCors(res, 'token response');

    const withoutOrigin = await postForm(app, '/oauth/token', await codeExchange(app, client));
    assert.equal(withoutOrigin.statusCode, 200, withoutOrigin.body);
    assertNoCors(withoutOrigin, 'a server call (no Origin)');
  });

  test("the app's registered origin is allowed on preflight and on the token response", async (t) => {
    const { app, client } = await setup(t);
    assertAllowedPreflight(await preflight(app, '/oauth/token', SITE), SITE);

    const res = await postForm(app, '/oauth/token', await codeExchange(app, client), { origin: SITE });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
    assert.match(String(res.headers.vary), /\bOrigin\b/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);

    // an error for this client is readable too, so the SDK can show it
    const reused = await postForm(
      app,
      '/oauth/token',
      { client_id: client.rest_api_key, grant_type: 'authorization_code', code: 'used-or-unknown' },
      { origin: SITE },
    );
    assert.equal(reused.statusCode, 400);
    assert.equal(reused.headers['access-control-allow-origin'], SITE);

    // the JavaScript key is a client_id of the same app (Kakao JavaScript SDK); server-only keys are not
    const byKey = (key: string) =>
      postForm(
        app,
        '/oauth/token',
        { client_id: key, grant_type: 'authorization_code', code: 'used-or-unknown' },
        { origin: SITE },
      );
    assert.equal((await byKey(client.javascript_key)).headers['access-control-allow-origin'], SITE);
    assertNoCors(await byKey(client.admin_key), 'admin key as client_id');
    assertNoCors(await byKey(client.native_app_key), 'native key as client_id');
  });

  test("another app's registered origin passes the preflight but not this app's response", async (t) => {
    const { app, client } = await setup(t);
    // a preflight cannot tell which app it is for: any Kakao Login app's Web domain passes it
    assertAllowedPreflight(await preflight(app, '/oauth/token', OTHER_SITE), OTHER_SITE);
    const res = await postForm(app, '/oauth/token', await codeExchange(app, client), { origin: OTHER_SITE });
    assert.equal(res.statusCode, 200, res.body);
    assertNoCors(res, "another app's origin");
  });

  test('revocation and introspection stay server-only', async (t) => {
    const { app, client } = await setup(t);
    for (const url of ['/oauth/revoke', '/oauth/introspect']) {
      assertNoCors(await preflight(app, url, SITE), `${url} preflight`);
      const res = await postForm(app, url, { client_id: client.rest_api_key, token: 'x' }, { origin: SITE });
      assertNoCors(res, url);
    }
  });
});

describe('CORS on /v1/oidc/userinfo', () => {
  async function withToken(t: Parameters<typeof buildTestApp>[0]) {
    const { app, client } = await setup(t);
    const res = await postForm(app, '/oauth/token', await codeExchange(app, client));
    assert.equal(res.statusCode, 200, res.body);
    return { app, client, token: String(res.json().access_token) };
  }

  const userinfo = (app: FastifyInstance, token: string, origin: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/oidc/userinfo',
      headers: { origin, authorization: `Bearer ${token}` },
    });

  test('registered origin: preflight and response allowed', async (t) => {
    const { app, token } = await withToken(t);
    assertAllowedPreflight(await preflight(app, '/v1/oidc/userinfo', SITE, 'GET'), SITE);
    const res = await userinfo(app, token, SITE);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
    assert.match(String(res.headers.vary), /\bOrigin\b/);
  });

  test("unregistered or another app's origin: none on the response", async (t) => {
    const { app, token } = await withToken(t);
    assertNoCors(await preflight(app, '/v1/oidc/userinfo', STRANGER, 'GET'), 'preflight');
    for (const origin of [STRANGER, OTHER_SITE]) {
      const res = await userinfo(app, token, origin);
      assert.equal(res.statusCode, 200, res.body);
      assertNoCors(res, origin);
    }
    const bad = await userinfo(app, 'not-a-token', STRANGER);
    assert.equal(bad.statusCode, 401);
    assertNoCors(bad, 'a refused token');
  });
});
