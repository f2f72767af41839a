/**
 * Envelope tests: yeon's answers next to the documented Kakao examples (Kakao REST API "Unlink",
 * "Logout", "Retrieve token information", "Error code"): same keys, same JSON types, same HTTP
 * statuses, also for bodies Kakao's scope cannot parse.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kapi, setup } from './helpers.ts';

/** JSON types per key, so `{"id": 123456789}` and `{"id": 42}` compare equal. */
function typesOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === null ? 'null' : typeof v]));
}

const DOCUMENTED = {
  unlink: { id: 123456789 },
  logout: { id: 123456789 },
  accessTokenInfo: { id: 123456789, expires_in: 7199, app_id: 1234 },
  error401: { msg: 'this access token is already expired', code: -401 },
};

describe('Kakao envelopes', () => {
  test('unlink, logout and access_token_info bodies have the documented keys and types', async (t) => {
    const { app, token } = await setup(t);
    const info = await kapi(app, 'GET', '/v1/user/access_token_info', { bearer: token });
    assert.deepEqual(typesOf(info.json()), typesOf(DOCUMENTED.accessTokenInfo));
    assert.equal(info.headers['content-type'], 'application/json; charset=utf-8');
    const logout = await kapi(app, 'POST', '/v1/user/logout', { bearer: token });
    assert.deepEqual(typesOf(logout.json()), typesOf(DOCUMENTED.logout));
    const { app: app2, token: token2 } = await setup(t);
    const unlink = await kapi(app2, 'POST', '/v1/user/unlink', { bearer: token2 });
    assert.deepEqual(typesOf(unlink.json()), typesOf(DOCUMENTED.unlink));
  });

  test('a refused token: HTTP 401 and exactly {msg, code:-401}', async (t) => {
    const { app } = await setup(t);
    const res = await kapi(app, 'GET', '/v2/user/me', { bearer: 'expired-or-unknown' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(typesOf(res.json()), typesOf(DOCUMENTED.error401));
    assert.equal(res.json().code, -401);
  });

  test('bodies: JSON is read like a form; an unknown media type or an oversized body is -2 (400)', async (t) => {
    const { app, token, person } = await setup(t);
    const json = await app.inject({
      method: 'POST',
      url: '/v2/user/me',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { property_keys: '["kakao_account.email"]' },
    });
    assert.equal(json.statusCode, 200, json.body);
    assert.deepEqual(Object.keys(json.json().kakao_account), [
      'email_needs_agreement',
      'is_email_valid',
      'is_email_verified',
      'email',
    ]);
    assert.equal(json.json().kakao_account.email, person.email);
    const xml = await app.inject({
      method: 'POST',
      url: '/v1/user/update_profile',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: '<properties/>',
    });
    assert.equal(xml.statusCode, 400);
    assert.deepEqual(Object.keys(xml.json()).sort(), ['code', 'msg']);
    assert.equal(xml.json().code, -2);
    const huge = await kapi(
      app,
      'POST',
      '/v1/user/update_profile',
      { bearer: token },
      { properties: 'x'.repeat(70_000) },
    );
    assert.equal(huge.statusCode, 400);
    assert.equal(huge.json().code, -2);
  });
});
