/**
 * Kakao's logout and tokeninfo (Kakao REST API "Logout with Kakao Account", OpenID Connect
 * `/oauth/tokeninfo`), and RFC 7009 revocation and RFC 7662 introspection on tokens of a registry
 * client.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  LOGOUT_URI,
  postForm,
  REDIRECT_URI,
} from './engine-fixtures.ts';

async function tokens(t: Parameters<typeof buildTestApp>[0]) {
  const { app, config } = await buildTestApp(t);
  const client = await createClientApp(app, { client_secret_enabled: true });
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
  const auth = { client_id: client.rest_api_key, client_secret: client.client_secret };
  const res = await postForm(app, '/oauth/token', {
    ...auth,
    grant_type: 'authorization_code',
    redirect_uri: REDIRECT_URI,
    code: flow.code!,
    code_verifier: flow.verifier,
  });
  assert.equal(res.statusCode, 200, res.body);
  return { app, config, client, person, browser, auth, body: res.json() };
}

describe('Kakao kauth routes', () => {
  test('GET /oauth/logout ends both sessions and redirects with state; tokens survive', async (t) => {
    const { app, client, browser, body } = await tokens(t);
    assert.ok(browser.cookies.has('yeon_session'), 'signed in before');
    const opSessions = async () =>
      Number(
        (
          await app.db
            .selectFrom('oidc_payloads')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('model', '=', 'Session')
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await opSessions(), 1);
    const query = new URLSearchParams({
      client_id: client.rest_api_key,
      logout_redirect_uri: LOGOUT_URI,
      state: 'xyz',
    });
    const res = await browser.get(`/oauth/logout?${query}`);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, `${LOGOUT_URI}?state=xyz`);
    assert.ok(!browser.cookies.has('yeon_session'), 'yeon session cookie cleared');
    assert.equal(await opSessions(), 0, 'oidc-provider session destroyed');
    const account = await browser.get('/account');
    assert.notEqual(account.statusCode, 200, 'signed out');
    const introspect = await postForm(app, '/oauth/introspect', {
      client_id: client.rest_api_key,
      client_secret: client.client_secret,
      token: body.access_token,
    });
    assert.equal(introspect.json().active, true, 'tokens outlive the browser session (§5.3)');
  });

  test('GET /oauth/logout with an unregistered logout_redirect_uri shows KOE007 and does not redirect', async (t) => {
    const { app } = await buildTestApp(t);
    const client = await createClientApp(app);
    for (const uri of ['https://evil.example/bye', `${LOGOUT_URI}/x`, REDIRECT_URI, '']) {
      const query = new URLSearchParams({
        client_id: client.rest_api_key,
        logout_redirect_uri: uri,
        state: 's',
      });
      const res = await app.inject({
        url: `/oauth/logout?${query}`,
        headers: { accept: 'text/html', 'accept-language': 'en' },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.headers.location, undefined);
      assert.ok(res.body.includes('KOE007'));
    }
    const unknown = await app.inject({
      url: `/oauth/logout?client_id=nope&logout_redirect_uri=${encodeURIComponent(LOGOUT_URI)}`,
    });
    assert.equal(unknown.statusCode, 400);
    assert.ok(unknown.body.includes('KOE101'));
  });

  test('POST /oauth/tokeninfo returns the ID token payload, KOE400 for anything else', async (t) => {
    const { app, client, body } = await tokens(t);
    const ok = await postForm(app, '/oauth/tokeninfo', { id_token: body.id_token });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().aud, client.rest_api_key);
    assert.equal(typeof ok.json().sub, 'string');
    const [h, p, s] = String(body.id_token).split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString());
    forged.sub = '1';
    for (const bad of [`${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`, 'abc', '']) {
      const res = await postForm(app, '/oauth/tokeninfo', { id_token: bad });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_token');
      assert.equal(res.json().error_code, 'KOE400');
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'error_code', 'error_description']);
    }
  });

  test('RFC 7662 introspection and RFC 7009 revocation', async (t) => {
    const { app, auth, body } = await tokens(t);
    const active = await postForm(app, '/oauth/introspect', { ...auth, token: body.access_token });
    assert.equal(active.statusCode, 200);
    assert.equal(active.json().active, true);
    assert.equal(active.json().client_id, auth.client_id);
    const revoked = await postForm(app, '/oauth/revoke', {
      ...auth,
      token: body.refresh_token,
      token_type_hint: 'refresh_token',
    });
    assert.equal(revoked.statusCode, 200);
    const after = await postForm(app, '/oauth/introspect', { ...auth, token: body.refresh_token });
    assert.equal(after.json().active, false);
    const refresh = await postForm(app, '/oauth/token', {
      ...auth,
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
    });
    assert.equal(refresh.json().error_code, 'KOE322');
    const wrongSecret = await postForm(app, '/oauth/introspect', {
      ...auth,
      client_secret: 'x',
      token: body.access_token,
    });
    assert.equal(wrongSecret.statusCode, 401);
    assert.equal(wrongSecret.json().error_code, 'KOE010');
  });
});
