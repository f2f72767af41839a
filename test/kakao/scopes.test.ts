/**
 * GET /v2/user/scopes and POST /v2/user/revoke/scopes (Kakao REST API "Retrieve consent details",
 * "Revoke consent"), and the immediate effect of a withdrawal: the item is gone from /v2/user/me
 * and from /v1/oidc/userinfo at once, for tokens issued before it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kapi, mintAccessToken, setup } from './helpers.ts';

/** The keys of one scope in Kakao's example (§4.2): `revocable` only when agreed. */
function assertScopeShape(scope: Record<string, unknown>) {
  const keys = ['id', 'display_name', 'type', 'using', 'agreed', ...(scope.agreed ? ['revocable'] : [])];
  assert.deepEqual(Object.keys(scope), keys);
  assert.equal(scope.type, 'PRIVACY');
}

describe('GET /v2/user/scopes', () => {
  test("Kakao's shape: every item the app uses, agreed or not, revocable only for optional/during-use", async (t) => {
    const { app, token, appUserId } = await setup(t);
    const res = await kapi(app, 'GET', '/v2/user/scopes', { bearer: token });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['id', 'scopes']);
    assert.equal(body.id, appUserId);
    for (const scope of body.scopes) assertScopeShape(scope);
    const view = Object.fromEntries(
      body.scopes.map((s: Record<string, unknown>) => [s.id, [s.using, s.agreed, s.revocable]]),
    );
    assert.deepEqual(view, {
      profile_nickname: [true, true, false],
      account_email: [true, true, true],
      name: [true, false, undefined],
    });
  });

  test('scopes=[…] filters; admin key + target gives the same answer', async (t) => {
    const { app, client, token, appUserId } = await setup(t);
    const res = await kapi(app, 'GET', '/v2/user/scopes', { bearer: token }, { scopes: '["account_email"]' });
    assert.deepEqual(
      res.json().scopes.map((s: { id: string }) => s.id),
      ['account_email'],
    );
    const admin = await kapi(
      app,
      'GET',
      '/v2/user/scopes',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_id: String(appUserId),
      },
    );
    assert.deepEqual(admin.json(), (await kapi(app, 'GET', '/v2/user/scopes', { bearer: token })).json());
  });
});

describe('POST /v2/user/revoke/scopes', () => {
  test('withdraws an optional item: answer has agreed:false; /v2/user/me drops it at once', async (t) => {
    const { app, token, person } = await setup(t);
    assert.equal(
      (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json().kakao_account.email,
      person.email,
    );
    const res = await kapi(
      app,
      'POST',
      '/v2/user/revoke/scopes',
      { bearer: token },
      { scopes: '["account_email"]' },
    );
    assert.equal(res.statusCode, 200, res.body);
    const email = res.json().scopes.find((s: { id: string }) => s.id === 'account_email');
    assert.deepEqual(email, {
      id: 'account_email',
      display_name: 'Email',
      type: 'PRIVACY',
      using: true,
      agreed: false,
    });
    const me = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.equal(me.kakao_account.email, undefined);
    assert.equal(me.kakao_account.email_needs_agreement, true);
    const scopes = (await kapi(app, 'GET', '/v2/user/scopes', { bearer: token })).json();
    assert.equal(scopes.scopes.find((s: { id: string }) => s.id === 'account_email').agreed, false);
  });

  test("a required item: 403 with Kakao's -3 message; nothing is withdrawn", async (t) => {
    const { app, token } = await setup(t);
    const res = await kapi(
      app,
      'POST',
      '/v2/user/revoke/scopes',
      { bearer: token },
      {
        scopes: '["account_email","profile_nickname"]',
      },
    );
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), {
      msg: "[profile_nickname] is not revocable. check out if it's set as required on developers.kakao.com",
      code: -3,
    });
    const me = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.equal(me.kakao_account.email_needs_agreement, false);
  });

  test("an unknown or not-agreed id: 400 with Kakao's -2 message; a missing scopes is -2", async (t) => {
    const { app, client, token, appUserId } = await setup(t);
    const res = await kapi(app, 'POST', '/v2/user/revoke/scopes', { bearer: token }, { scopes: '["email"]' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      msg: 'There is no scopes to revoke. check out if given scope id([email]) is correct again.',
      code: -2,
    });
    const notAgreed = await kapi(
      app,
      'POST',
      '/v2/user/revoke/scopes',
      { bearer: token },
      { scopes: '["name"]' },
    );
    assert.equal(notAgreed.json().code, -2);
    const missing = await kapi(
      app,
      'POST',
      '/v2/user/revoke/scopes',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_id: String(appUserId),
      },
    );
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().code, -2);
  });

  test('/v1/oidc/userinfo (served by oidc-provider) follows the withdrawal at once', async (t) => {
    const { app, client, person } = await setup(t);
    const token = await mintAccessToken(app, person.id, client, 'openid profile_nickname account_email');
    const before = await app.inject({
      method: 'GET',
      url: '/v1/oidc/userinfo',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(before.statusCode, 200, before.body);
    assert.equal(before.json().email, person.email);
    await kapi(app, 'POST', '/v2/user/revoke/scopes', { bearer: token }, { scopes: '["account_email"]' });
    const after = await app.inject({
      method: 'GET',
      url: '/v1/oidc/userinfo',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(after.statusCode, 200, after.body);
    assert.equal(after.json().email, undefined);
    assert.equal(after.json().nickname, '홍길동');
  });
});
