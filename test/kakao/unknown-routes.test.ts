/**
 * Paths of Kakao's API host that yeon does not serve: kapi answers them with HTTP 404 and its
 * `{msg, code}` envelope (Kakao REST API "Error code": -9, API not supported or discontinued), for
 * any method, whatever the caller accepts. Pages and yeon's own JSON API keep their 404s, and the
 * OAuth engine's userinfo under /v1/oidc/ keeps working.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HTTPMethods } from 'fastify';
import { isKakaoApiUrl } from '../../src/kakao/kakao-surface.ts';
import { mintAccessToken, setup } from './helpers.ts';

function assertUnsupported(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  assert.equal(res.statusCode, 404);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(res.headers['cache-control'], 'no-store');
  const body = res.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'msg']);
  assert.equal(body.code, -9);
  assert.equal(typeof body.msg, 'string');
}

describe('unknown Kakao API paths', () => {
  test('any method on an unknown /v1/ or /v2/ path, or an unserved method: 404 {msg, code: -9}', async (t) => {
    const { app, token } = await setup(t);
    const cases: Array<[HTTPMethods, string]> = [
      ['GET', '/v2/user/nope'],
      ['POST', '/v1/user/nope'],
      ['PUT', '/v1/api/talk/profile'],
      ['DELETE', '/v2/user/me'],
      ['PATCH', '/v1/user/ids'],
      ['GET', '/v1'],
      ['GET', '/v2?x=1'],
      ['GET', '/v1/oidc/nope'],
    ];
    for (const [method, url] of cases) {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
      assertUnsupported(res);
    }
    // a browser asking for HTML still gets Kakao's JSON on Kakao's paths
    assertUnsupported(
      await app.inject({ url: '/v2/no/such', headers: { accept: 'text/html,application/xhtml+xml' } }),
    );
  });

  test('other paths keep yeon 404s: an HTML page for browsers, JSON {error} for /api/', async (t) => {
    const { app } = await setup(t);
    const page = await app.inject({ url: '/v1x/nope', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const api = await app.inject({ url: '/api/v1/no-such-thing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not_found');
  });

  test('the OAuth engine on /v1/oidc/userinfo still answers (not the not-found handler)', async (t) => {
    const { app, client, person } = await setup(t);
    const token = await mintAccessToken(app, person.id, client, 'openid profile_nickname');
    const res = await app.inject({ url: '/v1/oidc/userinfo', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(typeof res.json().sub, 'string');
    const refused = await app.inject({ url: '/v1/oidc/userinfo' });
    assert.notEqual(refused.statusCode, 404);
    assert.notEqual(refused.json().code, -9);
  });

  test('isKakaoApiUrl: the prefixes and nothing that merely starts like them', () => {
    for (const url of ['/v1', '/v2', '/v1/', '/v2/user/me', '/v1?a=1', '/v1/oidc/userinfo'])
      assert.equal(isKakaoApiUrl(url), true, url);
    for (const url of ['/', '/v1x', '/v10/user', '/v3/user', '/api/v1/apps', '/oauth/token', '/V1/user'])
      assert.equal(isKakaoApiUrl(url), false, url);
  });
});
