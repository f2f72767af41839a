/**
 * Immediate effect end to end (RFC 7009 §2.1): tokens obtained through the real authorize → login →
 * consent → token flow stop working the moment the connection is unlinked (API 401 code -401,
 * refresh invalid_grant KOE322), and a withdrawn item leaves /v2/user/me and /v1/oidc/userinfo at
 * once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  Agent,
  appRedirect,
  authorize,
  createClientApp,
  createPerson,
  EN,
  exchange,
  startApp,
  submitConsent,
  submitLogin,
} from './interaction-fixtures.ts';

async function tokensFor(app: FastifyInstance, issuer: string, clientId: string, email: string) {
  const browser = new Agent(app, EN);
  const { verifier } = await authorize(browser, issuer, clientId, { scope: 'openid' });
  await submitLogin(browser, issuer, email);
  const back = appRedirect(await submitConsent(browser, issuer, { action: 'agree_all' }));
  const { status, body } = await exchange(app, clientId, back.searchParams.get('code')!, verifier);
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

function me(app: FastifyInstance, accessToken: string) {
  return app.inject({
    method: 'GET',
    url: '/v2/user/me',
    headers: { authorization: `Bearer ${accessToken}` },
  });
}

function refresh(app: FastifyInstance, clientId: string, refreshToken: string) {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
  });
}

test('after Delete All Data, the access token gets -401 and the refresh token KOE322', async (t) => {
  const { app, config } = await startApp(t);
  const client = await createClientApp(app, {
    unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
  });
  const person = await createPerson(app, 'Mina');
  const tokens = await tokensFor(app, config.issuer, client.rest_api_key, person.email);
  assert.equal((await me(app, tokens.access_token!)).statusCode, 200);

  await app.services.connections.unlink({ accountId: person.id, appId: client.app_id, by: 'delete_all' });

  const after = await me(app, tokens.access_token!);
  assert.equal(after.statusCode, 401);
  assert.equal(after.json().code, -401);
  const r = await refresh(app, client.rest_api_key, tokens.refresh_token!);
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().error, 'invalid_grant');
  assert.equal(r.json().error_code, 'KOE322');
  const userinfo = await app.inject({
    url: '/v1/oidc/userinfo',
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  assert.equal(userinfo.statusCode, 401);
});

test('a withdrawn optional item leaves /v2/user/me and /v1/oidc/userinfo at once; the token keeps working', async (t) => {
  const { app, config } = await startApp(t);
  const client = await createClientApp(app);
  const person = await createPerson(app, 'Jun');
  const tokens = await tokensFor(app, config.issuer, client.rest_api_key, person.email);
  const before = (await me(app, tokens.access_token!)).json();
  assert.equal(before.kakao_account.email, person.email);
  const userinfoBefore = await app.inject({
    url: '/v1/oidc/userinfo',
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  assert.equal(userinfoBefore.json().email, person.email);

  await app.services.connections.withdraw({
    accountId: person.id,
    appId: client.app_id,
    item: 'account_email',
  });

  const res = await me(app, tokens.access_token!);
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().kakao_account.email, undefined);
  assert.equal(res.json().kakao_account.email_needs_agreement, true);
  const userinfo = await app.inject({
    url: '/v1/oidc/userinfo',
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  assert.equal(userinfo.statusCode, 200);
  assert.equal(userinfo.json().email, undefined);
});
