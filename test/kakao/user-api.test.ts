/**
 * GET|POST /v2/user/me, GET /v1/user/access_token_info, POST /v1/user/update_profile through the
 * real app (Kakao REST API "Retrieve user information", "Store user information", "Retrieve token
 * information", "Error code"): Bearer and admin-key callers, Kakao's body
 * shapes and Kakao's error envelope.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKakaoApp, createPerson, kapi, link, mintAccessToken, setup } from './helpers.ts';

/** Kakao's error body: exactly `msg` and `code` (§7.1). */
function assertKakaoError(res: { statusCode: number; json(): unknown }, status: number, code: number) {
  assert.equal(res.statusCode, status);
  const body = res.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'msg']);
  assert.equal(body.code, code);
  assert.equal(typeof body.msg, 'string');
}

describe('GET|POST /v2/user/me', () => {
  test('Bearer: Kakao shape from live consents; needs_agreement for an item offered but not agreed', async (t) => {
    const { app, token, appUserId, person } = await setup(t);
    const res = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['id', 'connected_at', 'properties', 'kakao_account']);
    assert.equal(body.id, appUserId);
    assert.match(body.connected_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(body.properties, { nickname: '홍길동' });
    assert.deepEqual(body.kakao_account, {
      profile_nickname_needs_agreement: false,
      profile: { nickname: '홍길동' },
      name_needs_agreement: true,
      email_needs_agreement: false,
      is_email_valid: true,
      is_email_verified: false,
      email: person.email,
    });
  });

  test('POST with a form body and property_keys as a JSON array string narrows kakao_account', async (t) => {
    const { app, token, person } = await setup(t);
    const res = await kapi(
      app,
      'POST',
      '/v2/user/me',
      { bearer: token },
      {
        property_keys: '["kakao_account.email"]',
        secure_resource: 'true',
      },
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.properties, undefined);
    assert.deepEqual(body.kakao_account, {
      email_needs_agreement: false,
      is_email_valid: true,
      is_email_verified: false,
      email: person.email,
    });
  });

  test('access_token in the query (node-oauth) is accepted', async (t) => {
    const { app, token, appUserId } = await setup(t);
    const res = await app.inject({ method: 'GET', url: `/v2/user/me?access_token=${token}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().id, appUserId);
  });

  test('admin key + target_id_type=user_id&target_id: the same body; in the query or the form', async (t) => {
    const { app, client, token, appUserId } = await setup(t);
    const asUser = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    const viaQuery = await kapi(
      app,
      'GET',
      '/v2/user/me',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_id: String(appUserId),
      },
    );
    assert.equal(viaQuery.statusCode, 200, viaQuery.body);
    assert.deepEqual(viaQuery.json(), asUser);
    const viaForm = await kapi(
      app,
      'POST',
      '/v2/user/me',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_id: String(appUserId),
      },
    );
    assert.deepEqual(viaForm.json(), asUser);
  });

  test('errors: no or unknown token -401 (401); bad admin key -401; bad target -2; unlinked target -101', async (t) => {
    const { app, client, appUserId } = await setup(t);
    assertKakaoError(await kapi(app, 'GET', '/v2/user/me'), 401, -401);
    assertKakaoError(await kapi(app, 'GET', '/v2/user/me', { bearer: 'not-a-token' }), 401, -401);
    assertKakaoError(
      await kapi(
        app,
        'GET',
        '/v2/user/me',
        { kakaoAK: 'wrong' },
        { target_id_type: 'user_id', target_id: '1' },
      ),
      401,
      -401,
    );
    // the REST API key is not an admin key
    assertKakaoError(
      await kapi(
        app,
        'GET',
        '/v2/user/me',
        { kakaoAK: client.rest_api_key },
        {
          target_id_type: 'user_id',
          target_id: String(appUserId),
        },
      ),
      401,
      -401,
    );
    assertKakaoError(await kapi(app, 'GET', '/v2/user/me', { kakaoAK: client.admin_key }), 400, -2);
    assertKakaoError(
      await kapi(
        app,
        'GET',
        '/v2/user/me',
        { kakaoAK: client.admin_key },
        { target_id_type: 'email', target_id: '1' },
      ),
      400,
      -2,
    );
    assertKakaoError(
      await kapi(
        app,
        'GET',
        '/v2/user/me',
        { kakaoAK: client.admin_key },
        {
          target_id_type: 'user_id',
          target_id: String(appUserId + 1),
        },
      ),
      400,
      -101,
    );
  });

  test('property_keys that is not a JSON array is -2', async (t) => {
    const { app, token } = await setup(t);
    assertKakaoError(
      await kapi(app, 'GET', '/v2/user/me', { bearer: token }, { property_keys: 'kakao_account.email' }),
      400,
      -2,
    );
  });

  test('property_keys: an unknown key or a malformed array is -2; every documented key is accepted', async (t) => {
    const { app, token } = await setup(t);
    const refused = [
      '["kakao_account.nope"]',
      '["kakao_account.email","nope"]',
      '["properties"]',
      '["kakao_account"]',
      '["properties.not a key"]',
      '[""]',
      '["kakao_account.email"',
      '[1]',
      '{"kakao_account.email":true}',
    ];
    for (const property_keys of refused) {
      for (const method of ['GET', 'POST'] as const)
        assertKakaoError(
          await kapi(app, method, '/v2/user/me', { bearer: token }, { property_keys }),
          400,
          -2,
        );
    }
    const documented = [
      'kakao_account.profile',
      'kakao_account.name',
      'kakao_account.email',
      'kakao_account.age_range',
      'kakao_account.birthday',
      'kakao_account.gender',
      'kakao_account.birthyear',
      'kakao_account.phone_number',
      'kakao_account.ci',
      'properties.nickname',
      'properties.profile_image',
      'properties.thumbnail_image',
      'has_signed_up',
      'kakao_account.',
      'properties.',
      // an app's own property (update_profile)
      'properties.membership_level',
    ];
    const res = await kapi(
      app,
      'GET',
      '/v2/user/me',
      { bearer: token },
      { property_keys: JSON.stringify(documented) },
    );
    assert.equal(res.statusCode, 200, res.body);
  });

  test("an admin key reaches only its own app's users", async (t) => {
    const { app, person, appUserId } = await setup(t);
    const other = await createKakaoApp(app);
    const otherLink = await link(app, person.id, other, ['profile_nickname']);
    assert.notEqual(otherLink.appUserId, appUserId);
    assertKakaoError(
      await kapi(
        app,
        'GET',
        '/v2/user/me',
        { kakaoAK: other.admin_key },
        {
          target_id_type: 'user_id',
          target_id: String(appUserId),
        },
      ),
      400,
      -101,
    );
    const own = await kapi(
      app,
      'GET',
      '/v2/user/me',
      { kakaoAK: other.admin_key },
      {
        target_id_type: 'user_id',
        target_id: String(otherLink.appUserId),
      },
    );
    assert.equal(own.json().id, otherLink.appUserId);
  });
});

describe('GET /v1/user/access_token_info', () => {
  test('Kakao body {id, expires_in, app_id}; admin key refused -401', async (t) => {
    const { app, client, token, appUserId } = await setup(t);
    const res = await kapi(app, 'GET', '/v1/user/access_token_info', { bearer: token });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['id', 'expires_in', 'app_id']);
    assert.equal(body.id, appUserId);
    assert.equal(body.app_id, client.app_id);
    assert.ok(body.expires_in > 43000 && body.expires_in <= 43199, String(body.expires_in));
    assertKakaoError(
      await kapi(app, 'GET', '/v1/user/access_token_info', { kakaoAK: client.admin_key }),
      401,
      -401,
    );
    assertKakaoError(await kapi(app, 'GET', '/v1/user/access_token_info', { bearer: 'nope' }), 401, -401);
  });
});

describe('POST /v1/user/update_profile', () => {
  test('stores custom properties per connection and returns them in /v2/user/me properties', async (t) => {
    const { app, token, appUserId } = await setup(t);
    const res = await kapi(
      app,
      'POST',
      '/v1/user/update_profile',
      { bearer: token },
      {
        properties: JSON.stringify({ membership: 'gold', visits: 3 }),
      },
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: appUserId });
    const me = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.deepEqual(me.properties, { membership: 'gold', visits: '3', nickname: '홍길동' });
    const narrowed = (
      await kapi(app, 'GET', '/v2/user/me', { bearer: token }, { property_keys: '["properties.membership"]' })
    ).json();
    assert.deepEqual(narrowed.properties, { membership: 'gold' });
    // null deletes a key
    await kapi(
      app,
      'POST',
      '/v1/user/update_profile',
      { bearer: token },
      { properties: '{"membership":null}' },
    );
    const after = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.deepEqual(after.properties, { visits: '3', nickname: '홍길동' });
  });

  test('errors: missing or non-object properties -2; default keys -201; another user sees nothing', async (t) => {
    const { app, client, token } = await setup(t);
    assertKakaoError(await kapi(app, 'POST', '/v1/user/update_profile', { bearer: token }), 400, -2);
    assertKakaoError(
      await kapi(app, 'POST', '/v1/user/update_profile', { bearer: token }, { properties: '["a"]' }),
      400,
      -2,
    );
    assertKakaoError(
      await kapi(
        app,
        'POST',
        '/v1/user/update_profile',
        { bearer: token },
        { properties: '{"nickname":"x"}' },
      ),
      400,
      -201,
    );
    await kapi(app, 'POST', '/v1/user/update_profile', { bearer: token }, { properties: '{"k":"v"}' });
    const other = await createPerson(app);
    await link(app, other.id, client, ['profile_nickname']);
    const otherToken = await mintAccessToken(app, other.id, client, 'profile_nickname');
    const me = (await kapi(app, 'GET', '/v2/user/me', { bearer: otherToken })).json();
    assert.deepEqual(me.properties, { nickname: 'Person' });
  });
});
