/**
 * The authorization code flow as a Kakao Login app sees it on the wire (docs/decisions/0005):
 * PKCE optional unless the app requires it, `plain` refused; the redirect is `302` with `code` and
 * `state` only (no RFC 9207 `iss` unless the app is strict); an ID token for an OIDC app whether or
 * not `openid` was asked, with Kakao's claims; every client key Kakao accepts (REST API,
 * JavaScript, native) works where Kakao accepts it, and the ID token's `aud` is the key used.
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

type Setup = Awaited<ReturnType<typeof setup>>;

async function setup(t: Parameters<typeof buildTestApp>[0], input = {}) {
  const { app, db, config } = await buildTestApp(t);
  const client = await createClientApp(app, input);
  const person = await createPerson(app, '홍길동');
  return { app, db, config, client, person };
}

function setApp(
  s: Setup,
  values: { require_pkce?: number; strict_oauth?: number; javascript_origins?: string },
) {
  return s.db.updateTable('apps').set(values).where('id', '=', s.client.app_id).execute();
}

/** Authorize (consenting as the pages would) and exchange the code with `form` added. */
async function codeFlow(
  s: Setup,
  o: { clientId?: string; scope?: string; pkce?: boolean; nonce?: string; redirectUri?: string },
  form: Record<string, string>,
) {
  const flow = await authorizeThroughEngine(s.app, {
    clientId: o.clientId ?? s.client.rest_api_key,
    appId: s.client.app_id,
    accountId: s.person.id,
    scope: o.scope,
    pkce: o.pkce,
    nonce: o.nonce,
    redirectUri: o.redirectUri,
  });
  assert.ok(flow.code, `no code: ${flow.res.statusCode} ${flow.res.headers.location ?? flow.res.body}`);
  const token = await postForm(s.app, '/oauth/token', {
    grant_type: 'authorization_code',
    client_id: o.clientId ?? s.client.rest_api_key,
    redirect_uri: o.redirectUri ?? REDIRECT_URI,
    code: flow.code,
    ...(o.pkce === false ? {} : { code_verifier: flow.verifier }),
    ...form,
  });
  return { flow, token };
}

describe('Kakao on the wire: PKCE, redirects, ID tokens, app keys', () => {
  test('PKCE is optional for secret-off and secret-on apps, and enforced when sent', async (t) => {
    for (const secretOn of [false, true]) {
      const s = await setup(t, { client_secret_enabled: secretOn });
      const secret: Record<string, string> = secretOn ? { client_secret: s.client.client_secret } : {};
      const plainFlow = await codeFlow(s, { scope: 'profile_nickname', pkce: false }, { ...secret });
      assert.equal(plainFlow.token.statusCode, 200, `secret ${secretOn}: ${plainFlow.token.body}`);
      assert.equal(plainFlow.token.json().token_type, 'bearer');

      // a code_challenge that was sent binds the code (RFC 7636 §4.6)
      const bound = await codeFlow(
        s,
        { scope: 'profile_nickname' },
        { ...secret, code_verifier: 'x'.repeat(43) },
      );
      assert.equal(bound.token.statusCode, 400, bound.token.body);
      assert.equal(bound.token.json().error, 'invalid_grant');
      assert.equal(bound.token.json().error_code, 'KOE320');
    }
  });

  test('code_challenge_method=plain is refused with a clear error; "Require PKCE" makes S256 mandatory', async (t) => {
    const s = await setup(t);
    const plain = await s.app.inject(
      `/oauth/authorize?${new URLSearchParams({
        client_id: s.client.rest_api_key,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        state: 'st',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'plain',
      })}`,
    );
    const back = new URL(String(plain.headers.location));
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(String(back.searchParams.get('error_description')), /code_challenge_method/);

    await setApp(s, { require_pkce: 1 });
    const without = await authorizeThroughEngine(s.app, {
      clientId: s.client.rest_api_key,
      appId: s.client.app_id,
      accountId: s.person.id,
      pkce: false,
    });
    assert.equal(without.location?.searchParams.get('error'), 'invalid_request');
    assert.match(String(without.location?.searchParams.get('error_description')), /PKCE/);
    const withPkce = await codeFlow(s, { scope: 'profile_nickname' }, {});
    assert.equal(withPkce.token.statusCode, 200, withPkce.token.body);
  });

  test('the redirect is 302 with code and state only; strict apps get iss (RFC 9207); discovery has no iss flag', async (t) => {
    const s = await setup(t);
    const kakao = await authorizeThroughEngine(s.app, {
      clientId: s.client.rest_api_key,
      appId: s.client.app_id,
      accountId: s.person.id,
      pkce: false,
    });
    assert.equal(kakao.res.statusCode, 302);
    assert.deepEqual([...kakao.location!.searchParams.keys()].sort(), ['code', 'state']);

    const denied = await s.app.inject(
      `/oauth/authorize?${new URLSearchParams({
        client_id: s.client.rest_api_key,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        state: 'st',
        scope: 'no_such_scope',
        prompt: 'none',
      })}`,
    );
    assert.equal(denied.statusCode, 302);
    assert.equal(new URL(String(denied.headers.location)).searchParams.get('iss'), null);

    await setApp(s, { strict_oauth: 1 });
    const strict = await authorizeThroughEngine(s.app, {
      clientId: s.client.rest_api_key,
      appId: s.client.app_id,
      accountId: s.person.id,
      pkce: false,
    });
    assert.equal(strict.location?.searchParams.get('iss'), 'http://localhost:8080');

    const discovery = (await s.app.inject('/.well-known/openid-configuration')).json();
    assert.equal('authorization_response_iss_parameter_supported' in discovery, false);
    assert.equal('pushed_authorization_request_endpoint' in discovery, false, 'not mounted, not advertised');
  });

  test('ID token for an OIDC app without openid in scope; nonce echoed; Kakao claims only; aud = REST API key', async (t) => {
    const s = await setup(t);
    const { token } = await codeFlow(s, { scope: 'profile_nickname,account_email', nonce: 'n-kakao' }, {});
    assert.equal(token.statusCode, 200, token.body);
    const body = token.json();
    assert.equal(typeof body.id_token, 'string');
    const claims = decodeJwt(body.id_token);
    assert.deepEqual(Object.keys(claims).sort(), [
      'aud',
      'auth_time',
      'exp',
      'iat',
      'iss',
      'nickname',
      'nonce',
      'sub',
    ]);
    assert.equal(claims.nonce, 'n-kakao');
    assert.equal(claims.nickname, '홍길동');
    assert.equal(claims.aud, s.client.rest_api_key);
    assert.equal(claims.sub, String(await findAppUserId(s.db, s.client.app_id, s.person.id)));
    assert.equal(claims.email, undefined, 'agreed but not verified: Kakao leaves email out');
    // userinfo (a kapi API) still answers the agreed email, with email_verified false
    const info = await s.app.inject({
      url: '/v1/oidc/userinfo',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    assert.equal(info.statusCode, 200, info.body);
    assert.equal(info.json().email, s.person.email);
  });

  test('OIDC off: no ID token, a nonce is ignored, userinfo answers 403 -402 insufficient scope', async (t) => {
    const s = await setup(t, { oidc_enabled: false });
    const { token } = await codeFlow(s, { scope: 'profile_nickname', nonce: 'ignored' }, {});
    assert.equal(token.statusCode, 200, token.body);
    assert.equal(token.json().id_token, undefined);
    const info = await s.app.inject({
      url: '/v1/oidc/userinfo',
      headers: { authorization: `Bearer ${token.json().access_token}` },
    });
    assert.equal(info.statusCode, 403, info.body);
    assert.equal(info.json().code, -402);
    assert.deepEqual(info.json().required_scopes, ['openid']);
    assert.match(String(info.headers['www-authenticate']), /insufficient_scope/);
  });

  test('the JavaScript key works from the registered Web domains only; its code is redeemed by itself or by the server', async (t) => {
    const s = await setup(t, { client_secret_enabled: true });
    const js = s.client.javascript_key;
    // no registered Web domain: the JavaScript key has no redirect URI it may use (KOE006 page)
    const refused = await s.app.inject(
      `/oauth/authorize?${new URLSearchParams({ client_id: js, redirect_uri: REDIRECT_URI, response_type: 'code' })}`,
    );
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.headers.location, undefined);

    await setApp(s, { javascript_origins: JSON.stringify(['https://rp.example']) });
    const own = await codeFlow(s, { clientId: js, scope: 'profile_nickname' }, {});
    assert.equal(own.token.statusCode, 200, own.token.body);
    assert.equal(decodeJwt(own.token.json().id_token).aud, js, 'aud is the key used');

    // Kakao JavaScript SDK: Kakao.Auth.authorize with the JavaScript key, then the server exchanges
    // the code with the REST API key and the client secret
    const flow = await authorizeThroughEngine(s.app, {
      clientId: js,
      appId: s.client.app_id,
      accountId: s.person.id,
      pkce: false,
    });
    const exchange = (secret: string) =>
      postForm(s.app, '/oauth/token', {
        grant_type: 'authorization_code',
        client_id: s.client.rest_api_key,
        client_secret: secret,
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
      });
    const wrong = await exchange('not-the-secret');
    assert.equal(wrong.statusCode, 401, wrong.body);
    assert.equal(wrong.json().error_code, 'KOE010');
    const server = await exchange(s.client.client_secret);
    assert.equal(server.statusCode, 200, server.body);
    const me = await s.app.inject({
      url: '/v2/user/me',
      headers: { authorization: `Bearer ${server.json().access_token}` },
    });
    assert.equal(me.statusCode, 200, me.body);
  });

  test('the native app key logs in through kakao{NATIVE_APP_KEY}://oauth once the app has a mobile platform', async (t) => {
    const s = await setup(t);
    const native = s.client.native_app_key;
    const redirectUri = `kakao${native}://oauth`;
    const before = await s.app.inject(
      `/oauth/authorize?${new URLSearchParams({ client_id: native, redirect_uri: redirectUri, response_type: 'code' })}`,
    );
    assert.equal(before.statusCode, 400, 'no Android or iOS platform yet');

    await s.db
      .insertInto('app_platforms')
      .values({
        app_id: s.client.app_id,
        kind: 'android',
        identifier: 'com.example.app',
        store_url: null,
        position: 0,
      })
      .execute();
    const { token } = await codeFlow(s, { clientId: native, redirectUri, scope: 'profile_nickname' }, {});
    assert.equal(token.statusCode, 200, token.body);
    assert.equal(decodeJwt(token.json().id_token).aud, native);
    // the REST API key's redirect URIs are not the native key's
    const other = await s.app.inject(
      `/oauth/authorize?${new URLSearchParams({ client_id: native, redirect_uri: REDIRECT_URI, response_type: 'code' })}`,
    );
    assert.equal(other.statusCode, 400);
  });
});
