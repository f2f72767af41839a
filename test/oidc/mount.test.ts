/**
 * The oidc-provider mount inside the real app: Kakao's paths from one origin,
 * discovery and JWKS, and a whole code flow with PKCE through a stub interaction, on both lanes.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  authorizeCode,
  buildOidcTestApp,
  CONFIDENTIAL_CLIENT,
  TEST_ACCOUNT,
  tokenRequest,
} from './oidc-test-app.ts';

type Json = Record<string, unknown>;

function form(values: Record<string, string>) {
  return {
    payload: new URLSearchParams(values).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
  };
}

describe('oidc-provider mounted on Kakao paths', () => {
  test('discovery lists the Kakao endpoints on the issuer origin, whatever Host was sent', async (t) => {
    const { app, config } = await buildOidcTestApp(t);
    const res = await app.inject({
      url: '/.well-known/openid-configuration',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as Json;
    const at = (path: string) => `${config.issuer}${path}`;
    assert.equal(doc.issuer, config.issuer);
    assert.equal(doc.authorization_endpoint, at('/oauth/authorize'));
    assert.equal(doc.token_endpoint, at('/oauth/token'));
    assert.equal(doc.jwks_uri, at('/.well-known/jwks.json'));
    assert.equal(doc.userinfo_endpoint, at('/v1/oidc/userinfo'));
    assert.equal(doc.revocation_endpoint, at('/oauth/revoke'));
    assert.equal(doc.introspection_endpoint, at('/oauth/introspect'));
    assert.equal(doc.end_session_endpoint, at('/oidc/logout'));
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
  });

  test('the JWKS publishes the database key by kid, RS256, public part only', async (t) => {
    const { app, db } = await buildOidcTestApp(t);
    const res = await app.inject({ url: '/.well-known/jwks.json' });
    assert.equal(res.statusCode, 200);
    const { keys } = res.json() as { keys: Json[] };
    const stored = await db.selectFrom('oidc_signing_keys').select('kid').execute();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kid, stored[0]!.kid);
    assert.equal(keys[0]!.kty, 'RSA');
    assert.equal(keys[0]!.alg, 'RS256');
    assert.equal(keys[0]!.use, 'sig');
    assert.equal(keys[0]!.d, undefined, 'no private member');
  });

  test('the rest of the app is untouched: pages render, unknown /oauth paths are yeon 404s', async (t) => {
    const { app } = await buildOidcTestApp(t);
    assert.equal((await app.inject({ url: '/login', headers: { accept: 'text/html' } })).statusCode, 200);
    const missing = await app.inject({ url: '/oauth/nope', headers: { accept: 'application/json' } });
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'not_found');
  });

  test('code flow with PKCE: tokens, ID token signed by the JWKS key, userinfo, and a replayed code revokes', async (t) => {
    const warn = t.mock.method(console, 'warn');
    const { app, config } = await buildOidcTestApp(t);
    const { code, verifier, redirect } = await authorizeCode(app, config.issuer, {
      scope: 'openid profile_nickname',
      state: 'st-1',
      nonce: 'n-1',
    });
    assert.equal(`${redirect.origin}${redirect.pathname}`, CONFIDENTIAL_CLIENT.redirect_uris![0]);
    assert.equal(redirect.searchParams.get('state'), 'st-1');

    const exchange = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CONFIDENTIAL_CLIENT.redirect_uris![0]!,
      code_verifier: verifier,
    };
    const token = await tokenRequest(app, exchange);
    assert.equal(token.statusCode, 200, token.body);
    const tokens = token.json() as Json;
    assert.equal(tokens.expires_in, 43199);
    assert.equal(tokens.token_type, 'Bearer', 'oidc-provider as is; the Kakao layer lowercases it');
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(
      typeof tokens.refresh_token,
      'string',
      'Kakao issues a refresh token without offline_access',
    );
    assert.equal(tokens.scope, 'openid profile_nickname');

    // ID token: RS256, kid of the published key, Kakao's claims (§5.4)
    const [h, p, s] = String(tokens.id_token).split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Json;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Json;
    const { keys } = (await app.inject({ url: '/.well-known/jwks.json' })).json() as { keys: Json[] };
    assert.equal(header.alg, 'RS256');
    const jwk = keys.find((k) => k.kid === header.kid);
    assert.ok(jwk, 'signed with a published kid');
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    assert.ok(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')));
    assert.equal(claims.iss, config.issuer);
    assert.equal(claims.aud, CONFIDENTIAL_CLIENT.client_id);
    assert.equal(claims.sub, TEST_ACCOUNT);
    assert.equal(claims.nonce, 'n-1');
    assert.equal(claims.nickname, 'Tester');

    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    const info = await app.inject({ url: '/v1/oidc/userinfo', headers: bearer });
    assert.equal(info.statusCode, 200, info.body);
    assert.deepEqual(info.json(), { sub: TEST_ACCOUNT, nickname: 'Tester' });

    // RFC 6749 §4.1.2: a second use is refused and what the code gave is revoked.
    const replay = await tokenRequest(app, exchange);
    assert.equal(replay.statusCode, 400);
    assert.equal((replay.json() as Json).error, 'invalid_grant');
    assert.equal((await app.inject({ url: '/v1/oidc/userinfo', headers: bearer })).statusCode, 401);

    const bodyWarnings = warn.mock.calls.filter((c) => String(c.arguments[0]).includes('already parsed'));
    assert.deepEqual(bodyWarnings, [], 'no Fastify parser consumed an oidc-provider body');
  });

  test('revocation and introspection answer on their Kakao paths', async (t) => {
    const { app } = await buildOidcTestApp(t);
    const auth = {
      client_id: CONFIDENTIAL_CLIENT.client_id,
      client_secret: CONFIDENTIAL_CLIENT.client_secret!,
    };
    const revoke = await app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      ...form({ ...auth, token: 'unknown-token' }),
    });
    assert.equal(revoke.statusCode, 200, revoke.body); // RFC 7009 §2.2: unknown tokens are fine
    const introspect = await app.inject({
      method: 'POST',
      url: '/oauth/introspect',
      ...form({ ...auth, token: 'unknown-token' }),
    });
    assert.equal(introspect.statusCode, 200, introspect.body);
    assert.deepEqual(introspect.json(), { active: false });
  });
});
