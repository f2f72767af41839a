/**
 * POST /v1/user/unlink and POST /v1/user/logout (Kakao REST API "Unlink", "Logout") and their
 * immediate effect: a token dies the moment the unlink or logout commits. Admin-key paths work with
 * every live admin key, so a rotated-out key keeps working until it is revoked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kapi, mintAccessToken, setup } from './helpers.ts';

const target = (appUserId: number) => ({ target_id_type: 'user_id', target_id: String(appUserId) });

async function notificationCount(db: Parameters<typeof mintAccessToken>[0]['db'], appId: number) {
  const rows = await db.selectFrom('notifications').select('id').where('app_id', '=', appId).execute();
  return rows.length;
}

describe('POST /v1/user/unlink', () => {
  test('Bearer: {"id"}; the token gets 401 -401 at once; no unlink callback is queued (§1.1)', async (t) => {
    const { app, db, client, person, token, appUserId } = await setup(t, {
      unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
    });
    const res = await kapi(app, 'POST', '/v1/user/unlink', { bearer: token });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: appUserId });
    const after = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().code, -401);
    assert.equal(await app.services.connections.getLive(person.id, client.app_id), undefined);
    assert.equal(await notificationCount(db, client.app_id), 0);
    // unlinking again: the user is no longer linked
    const again = await kapi(
      app,
      'POST',
      '/v1/user/unlink',
      { kakaoAK: client.admin_key },
      target(appUserId),
    );
    assert.equal(again.statusCode, 400);
    assert.deepEqual(again.json().code, -101);
  });

  test('admin key + target in the form or the query; a rotated-out key works until revoked', async (t) => {
    const { app, client, person, token, appUserId } = await setup(t);
    const owner = { accountId: client.ownerId };
    const rotated = await app.services.apps.rotateAdminKey(owner, client.app_id);
    // the old key (still live) unlinks, with the target in the query of the POST (§2, 3P callers)
    const res = await app.inject({
      method: 'POST',
      url: `/v1/user/unlink?target_id_type=user_id&target_id=${appUserId}`,
      headers: { authorization: `KakaoAK ${client.admin_key}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: appUserId });
    assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer: token })).statusCode, 401);

    // relink (same app user id), then the new key unlinks with a form body
    await app.services.connections.agree({
      accountId: person.id,
      appId: client.app_id,
      items: ['profile_nickname'],
    });
    const viaNew = await kapi(app, 'POST', '/v1/user/unlink', { kakaoAK: rotated.key }, target(appUserId));
    assert.deepEqual(viaNew.json(), { id: appUserId });

    // once revoked, the old key is refused
    await app.services.connections.agree({
      accountId: person.id,
      appId: client.app_id,
      items: ['profile_nickname'],
    });
    const oldKeyId = (await app.services.apps.getAppDetail(owner, client.app_id)).keys.admin.find(
      (k) => k.key === client.admin_key,
    )!.id;
    await app.services.apps.revokeAdminKey(owner, client.app_id, oldKeyId);
    const refused = await kapi(
      app,
      'POST',
      '/v1/user/unlink',
      { kakaoAK: client.admin_key },
      target(appUserId),
    );
    assert.equal(refused.statusCode, 401);
    assert.deepEqual(refused.json(), { msg: 'wrong appKey(admin key) type or invalid appKey.', code: -401 });
  });
});

describe('POST /v1/user/logout', () => {
  test('Bearer: revokes that access token only; the connection and other tokens stay', async (t) => {
    const { app, client, person, token, appUserId } = await setup(t);
    const other = await mintAccessToken(app, person.id, client);
    const res = await kapi(app, 'POST', '/v1/user/logout', { bearer: token });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: appUserId });
    assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json().code, -401);
    assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer: other })).statusCode, 200);
    assert.ok(await app.services.connections.getLive(person.id, client.app_id));
  });

  test('admin key + target: every token of the user at this app dies; consent and grant stay', async (t) => {
    const { app, db, client, person, token, appUserId } = await setup(t);
    const other = await mintAccessToken(app, person.id, client);
    const res = await kapi(app, 'POST', '/v1/user/logout', { kakaoAK: client.admin_key }, target(appUserId));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: appUserId });
    for (const t of [token, other])
      assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer: t })).json().code, -401);
    const live = await app.services.connections.getLive(person.id, client.app_id);
    assert.deepEqual(live?.items.sort(), ['account_email', 'profile_nickname']);
    const grants = await db
      .selectFrom('oidc_payloads')
      .select('id')
      .where('model', '=', 'Grant')
      .where('account_id', '=', person.id)
      .execute();
    assert.equal(grants.length, 2);
  });

  test('errors: no caller -401; admin key without a target -2', async (t) => {
    const { app, client } = await setup(t);
    const none = await kapi(app, 'POST', '/v1/user/logout');
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().code, -401);
    const noTarget = await kapi(app, 'POST', '/v1/user/logout', { kakaoAK: client.admin_key });
    assert.equal(noTarget.statusCode, 400);
    assert.equal(noTarget.json().code, -2);
  });
});

describe('immediate effect of services.connections.unlink', () => {
  test('an unlink from the account side kills the token at once', async (t) => {
    const { app, client, person, token } = await setup(t);
    assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer: token })).statusCode, 200);
    await app.services.connections.unlink({ accountId: person.id, appId: client.app_id, by: 'disconnect' });
    const res = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'msg']);
    assert.equal(res.json().code, -401);
  });
});
