/**
 * The engine as app.ts mounts it: clients from the apps registry, `sub` = app user id, and the
 * Kakao layer (Kakao REST API "Get tokens", "Refresh tokens"; KOE error codes).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findAppUserId } from '../../src/modules/connections/connections.repo.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  postForm,
  REDIRECT_URI,
} from './engine-fixtures.ts';

function decodeJwt(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

const KAKAO_TOKEN_FIELDS = [
  'access_token',
  'expires_in',
  'id_token',
  'refresh_token',
  'refresh_token_expires_in',
  'scope',
  'token_type',
];

async function setup(t: Parameters<typeof buildTestApp>[0], input = {}) {
  const { app, db, config } = await buildTestApp(t);
  const client = await createClientApp(app, input);
  const person = await createPerson(app);
  return { app, db, config, client, person };
}

describe('engine: registry clients and the Kakao token layer', () => {
  test('code flow: exactly Kakao token fields, bearer, 43199 s, ID token with the app user id as sub', async (t) => {
    const { app, db, client, person } = await setup(t, { client_secret_enabled: true });
    const flow = await authorizeThroughEngine(app, {
      clientId: client.rest_api_key,
      appId: client.app_id,
      accountId: person.id,
      scope: 'openid,profile_nickname',
      nonce: 'n-1',
    });
    assert.ok(flow.code, `no code: ${flow.res.statusCode} ${flow.res.body}`);
    assert.equal(flow.location?.searchParams.get('state'), 'st-1');
    const res = await postForm(app, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: client.rest_api_key,
      client_secret: client.client_secret,
      redirect_uri: REDIRECT_URI,
      code: flow.code!,
      code_verifier: flow.verifier,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), KAKAO_TOKEN_FIELDS);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 43199);
    assert.equal(body.refresh_token_expires_in, 60 * 86400);
    assert.deepEqual(body.scope.split(' ').sort(), ['openid', 'profile_nickname']);
    const appUserId = await findAppUserId(db, client.app_id, person.id);
    const claims = decodeJwt(body.id_token);
    assert.equal(claims.sub, String(appUserId));
    assert.equal(claims.aud, client.rest_api_key);
    assert.equal(claims.nonce, 'n-1');
  });

  test('ID token only when OIDC is on; with OIDC on, also without openid (Kakao), unless strict', async (t) => {
    const { app, client, person } = await setup(t, { oidc_enabled: false, client_secret_enabled: true });
    const exchange = async (scope: string) => {
      const flow = await authorizeThroughEngine(app, {
        clientId: client.rest_api_key,
        appId: client.app_id,
        accountId: person.id,
        scope,
      });
      const res = await postForm(app, '/oauth/token', {
        grant_type: 'authorization_code',
        client_id: client.rest_api_key,
        client_secret: client.client_secret,
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    assert.equal((await exchange('openid profile_nickname')).id_token, undefined, 'OIDC off');
    const { app: app2, client: c2, person: p2 } = await setup(t, { client_secret_enabled: true });
    const flow = await authorizeThroughEngine(app2, {
      clientId: c2.rest_api_key,
      appId: c2.app_id,
      accountId: p2.id,
      scope: 'profile_nickname',
    });
    const res = await postForm(app2, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: c2.rest_api_key,
      client_secret: c2.client_secret,
      redirect_uri: REDIRECT_URI,
      code: flow.code!,
      code_verifier: flow.verifier,
    });
    assert.equal(res.statusCode, 200, res.body);
    // Kakao REST API "Get tokens": an OIDC app's code exchange returns an ID token, `openid` or not.
    assert.equal(typeof res.json().id_token, 'string', 'OIDC on, openid not requested: Kakao issues one');
    assert.deepEqual(Object.keys(res.json()).sort(), KAKAO_TOKEN_FIELDS);
    assert.ok(res.json().scope.split(' ').includes('openid'), 'the scope says openid, as Kakao');

    // Strict OAuth (docs/decisions/0005): OpenID Connect Core §3.1.2.1, an ID token only for `openid`.
    await app2.db.updateTable('apps').set({ strict_oauth: 1 }).where('id', '=', c2.app_id).execute();
    const strict = await authorizeThroughEngine(app2, {
      clientId: c2.rest_api_key,
      appId: c2.app_id,
      accountId: p2.id,
      scope: 'profile_nickname',
    });
    const strictRes = await postForm(app2, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: c2.rest_api_key,
      client_secret: c2.client_secret,
      redirect_uri: REDIRECT_URI,
      code: strict.code!,
      code_verifier: strict.verifier,
    });
    assert.equal(strictRes.statusCode, 200, strictRes.body);
    assert.equal(strictRes.json().id_token, undefined, 'strict: openid not requested');
    assert.deepEqual(
      Object.keys(strictRes.json()).sort(),
      KAKAO_TOKEN_FIELDS.filter((f) => f !== 'id_token'),
    );
  });

  test('secret off: a dummy client_secret and unknown parameters are accepted', async (t) => {
    const { app, client, person } = await setup(t, { client_secret_enabled: false });
    const flow = await authorizeThroughEngine(app, {
      clientId: client.rest_api_key,
      appId: client.app_id,
      accountId: person.id,
      scope: 'openid',
    });
    const res = await postForm(app, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: client.rest_api_key,
      client_secret: 'kakao',
      type: 'web_server',
      redirect_uri: REDIRECT_URI,
      code: flow.code!,
      code_verifier: flow.verifier,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().token_type, 'bearer');
  });

  test('refresh: no refresh_token field while 30 days or more remain', async (t) => {
    const { app, client, person } = await setup(t, { client_secret_enabled: true });
    const flow = await authorizeThroughEngine(app, {
      clientId: client.rest_api_key,
      appId: client.app_id,
      accountId: person.id,
      scope: 'openid profile_nickname',
    });
    const auth = { client_id: client.rest_api_key, client_secret: client.client_secret };
    const first = await postForm(app, '/oauth/token', {
      ...auth,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      code: flow.code!,
      code_verifier: flow.verifier,
    });
    const refreshed = await postForm(app, '/oauth/token', {
      ...auth,
      grant_type: 'refresh_token',
      refresh_token: first.json().refresh_token,
    });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.deepEqual(Object.keys(refreshed.json()).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'scope',
      'token_type',
    ]);
  });

  test('token errors carry Kakao error codes: KOE320, KOE303, KOE010, KOE101, KOE004, KOE322', async (t) => {
    const { app, client, person } = await setup(t, { client_secret_enabled: true });
    const flow = await authorizeThroughEngine(app, {
      clientId: client.rest_api_key,
      appId: client.app_id,
      accountId: person.id,
      scope: 'profile_nickname',
    });
    const auth = { client_id: client.rest_api_key, client_secret: client.client_secret };
    const exchange = (extra: Record<string, string>) =>
      postForm(app, '/oauth/token', {
        grant_type: 'authorization_code',
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
        ...auth,
        ...extra,
      });

    const badSecret = await exchange({ client_secret: 'wrong' });
    assert.equal(badSecret.json().error_code, 'KOE010');
    assert.deepEqual(badSecret.json(), {
      error: 'invalid_client',
      error_description: 'Bad client credentials',
      error_code: 'KOE010',
    });
    const unknown = await exchange({ client_id: 'no-such-key' });
    assert.equal(unknown.json().error_code, 'KOE101');
    const mismatch = await exchange({ redirect_uri: 'https://rp.example/other' });
    assert.deepEqual(mismatch.json(), {
      error: 'invalid_grant',
      error_description: 'Redirect URI mismatch.',
      error_code: 'KOE303',
    });
    const ok = await exchange({});
    assert.equal(ok.statusCode, 200, ok.body);
    const replay = await exchange({});
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json().error, 'invalid_grant');
    assert.equal(replay.json().error_code, 'KOE320');
    const badRefresh = await postForm(app, '/oauth/token', {
      ...auth,
      grant_type: 'refresh_token',
      refresh_token: 'nope',
    });
    assert.deepEqual(badRefresh.json(), {
      error: 'invalid_grant',
      error_description: 'expired_or_invalid_refresh_token',
      error_code: 'KOE322',
    });

    const off = await createClientApp(app, { kakao_login_enabled: false });
    const loginOff = await postForm(app, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: off.rest_api_key,
      redirect_uri: REDIRECT_URI,
      code: 'x',
    });
    assert.equal(loginOff.json().error_code, 'KOE004');
  });

  test('authorize: bad client_id or redirect_uri shows an error page in the person’s language, never a redirect', async (t) => {
    const { app, client } = await setup(t);
    const off = await createClientApp(app, { kakao_login_enabled: false });
    const cases: Array<[Record<string, string>, string]> = [
      [{ client_id: 'no-such-key', redirect_uri: REDIRECT_URI }, 'KOE101'],
      [{ client_id: client.rest_api_key, redirect_uri: 'https://evil.example/callback' }, 'KOE006'],
      [{ client_id: off.rest_api_key, redirect_uri: REDIRECT_URI }, 'KOE004'],
    ];
    for (const [params, code] of cases) {
      for (const [lang, word] of [
        ['ko', '로그인 요청을 계속할 수 없습니다'],
        ['en', 'This login request cannot continue'],
      ] as const) {
        const query = new URLSearchParams({ response_type: 'code', state: 's', ...params });
        const res = await app.inject({
          url: `/oauth/authorize?${query}`,
          headers: { 'accept-language': lang, accept: 'text/html' },
        });
        assert.equal(res.headers.location, undefined, `${code}: no redirect`);
        assert.ok(res.statusCode >= 400, `${code}: ${res.statusCode}`);
        assert.match(String(res.headers['content-type']), /text\/html/);
        assert.ok(res.body.includes(word), `${code} in ${lang}`);
        assert.ok(res.body.includes(code), `${code} is named`);
        assert.ok(!res.body.includes('href="https://evil'), 'the refused address is not linked');
      }
    }
  });

  test('authorize: an unsupported response_type goes back to the app with KOE201', async (t) => {
    const { app, client } = await setup(t);
    const query = new URLSearchParams({
      client_id: client.rest_api_key,
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      state: 's',
    });
    const res = await app.inject({ url: `/oauth/authorize?${query}` });
    const location = new URL(String(res.headers.location));
    assert.equal(location.origin + location.pathname, REDIRECT_URI);
    // an implicit response type answers in the fragment (OAuth 2.0 Multiple Response Types §5)
    const params = new URLSearchParams(location.hash.slice(1));
    assert.equal(params.get('error'), 'unsupported_response_type');
    assert.equal(params.get('error_code'), 'KOE201');
    assert.equal(params.get('state'), 's');
    const implicit = await app.inject({
      url: `/oauth/authorize?${query.toString().replace('id_token', 'token')}`,
    });
    const fragment = new URLSearchParams(new URL(String(implicit.headers.location)).hash.slice(1));
    assert.equal(fragment.get('error_code'), 'KOE202');
  });

  test('discovery has Kakao’s confirmed shape; the JWKS verifies the ID token by kid', async (t) => {
    const { app, config } = await setup(t);
    const res = await app.inject({ url: '/.well-known/openid-configuration' });
    const d = res.json();
    const origin = config.issuer.replace(/\/$/, '');
    assert.equal(d.issuer, origin);
    assert.equal(d.authorization_endpoint, `${origin}/oauth/authorize`);
    assert.equal(d.token_endpoint, `${origin}/oauth/token`);
    assert.equal(d.userinfo_endpoint, `${origin}/v1/oidc/userinfo`);
    assert.equal(d.jwks_uri, `${origin}/.well-known/jwks.json`);
    assert.equal(d.token_endpoint_auth_methods_supported[0], 'client_secret_post');
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(d.response_types_supported, ['code']);
    assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256']);
    const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json();
    assert.ok(jwks.keys.length >= 1);
    for (const key of jwks.keys) {
      assert.equal(typeof key.kid, 'string');
      assert.equal(key.alg, 'RS256');
      assert.equal(key.d, undefined);
    }
  });
  test('the consent stand-in grants what the person agreed on the page, not what the request asked', async (t) => {
    // nickname required, email optional, gender not offered by the app
    const { app, client, person } = await setup(t, { client_secret_enabled: true });
    const scopeAfter = async (consent: Parameters<typeof authorizeThroughEngine>[1]['consent']) => {
      const flow = await authorizeThroughEngine(app, {
        clientId: client.rest_api_key,
        appId: client.app_id,
        accountId: person.id,
        scope: 'openid profile_nickname account_email gender',
        consent,
      });
      assert.ok(flow.code, `no code: ${flow.res.statusCode} ${flow.res.body}`);
      const res = await postForm(app, '/oauth/token', {
        grant_type: 'authorization_code',
        client_id: client.rest_api_key,
        client_secret: client.client_secret,
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().scope.split(' ').sort();
    };
    // the optional email left unticked, gender never offered: neither is granted
    assert.deepEqual(await scopeAfter({ items: [] }), ['openid', 'profile_nickname']);
    // asked again for the email, the person agrees to all: now it is granted, gender still not
    assert.deepEqual(await scopeAfter('all'), ['account_email', 'openid', 'profile_nickname']);
  });
});
