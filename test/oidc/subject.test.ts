/**
 * Kakao's `sub` is the app user id, per (account, app) (Kakao's app user ID; Kakao "OpenID
 * Connect"): with `subjectFor`, the ID token and userinfo carry it instead of yeon's account id.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  authorizeCode,
  buildOidcTestApp,
  CONFIDENTIAL_CLIENT,
  TEST_ACCOUNT,
  tokenRequest,
} from './oidc-test-app.ts';

describe('subject', () => {
  test('ID token and userinfo carry the app user id from subjectFor', async (t) => {
    const asked: string[][] = [];
    const { app, config } = await buildOidcTestApp(t, {
      subjectFor: async (accountId, clientId) => {
        asked.push([accountId, clientId]);
        return '4242424242';
      },
    });
    const { code, verifier } = await authorizeCode(app, config.issuer, { scope: 'openid profile_nickname' });
    const res = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CONFIDENTIAL_CLIENT.redirect_uris![0]!,
    });
    assert.equal(res.statusCode, 200, res.body);
    const idToken = String(res.json().id_token);
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString());
    assert.equal(claims.sub, '4242424242');
    const info = await app.inject({
      url: '/v1/oidc/userinfo',
      headers: { authorization: `Bearer ${res.json().access_token}` },
    });
    assert.equal(info.json().sub, '4242424242');
    assert.deepEqual(asked[0], [TEST_ACCOUNT, CONFIDENTIAL_CLIENT.client_id]);
  });
});
