/**
 * The two hooks the Kakao layer will use (docs/decisions/0002), proven on the real mount: the
 * plugin's `rewrite` (request side) and oidc-provider's `provider.use` post-middleware (response
 * side). Real-client tolerance: the quirks of Kakao clients in the wild (passport-kakao, Auth.js,
 * the Flutter SDK).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestRewrite } from '../../src/oidc/oidc.plugin.ts';
import { authorizeCode, buildOidcTestApp, SECRET_OFF_CLIENT, tokenRequest } from './oidc-test-app.ts';

const redirectUri = SECRET_OFF_CLIENT.redirect_uris![0]!;

/** A stand-in for the Kakao layer's rewrite: commas in scope, dummy secrets of secret-off clients. */
function kakaoRewrite({ route, url, form }: RequestRewrite): void {
  const scope = url.searchParams.get('scope');
  if (route === '/oauth/authorize' && scope) url.searchParams.set('scope', scope.replaceAll(',', ' '));
  if (route === '/oauth/token' && form?.get('client_id') === SECRET_OFF_CLIENT.client_id) {
    form.delete('client_secret');
  }
}

describe('Kakao layer hooks on the mount', () => {
  test('as is, oidc-provider refuses a dummy client_secret from a client whose secret is off', async (t) => {
    const { app, config } = await buildOidcTestApp(t);
    const { code, verifier } = await authorizeCode(app, config.issuer, {
      scope: 'openid',
      client: SECRET_OFF_CLIENT,
    });
    const res = await tokenRequest(
      app,
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri },
      { client_id: SECRET_OFF_CLIENT.client_id, client_secret: 'kakao' }, // what passport-kakao sends
    );
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
  });

  test('with the rewrite and a post-middleware: comma scope, dummy secret and extra params pass, token_type is bearer', async (t) => {
    const warn = t.mock.method(console, 'warn');
    const { app, config } = await buildOidcTestApp(t, {
      rewrite: kakaoRewrite,
      configure: (provider) =>
        provider.use(async (ctx, next) => {
          await next();
          if (ctx.oidc?.route === 'token' && ctx.status === 200) {
            (ctx.body as Record<string, unknown>).token_type = 'bearer';
          }
        }),
    });
    const { code, verifier } = await authorizeCode(app, config.issuer, {
      scope: 'openid,profile_nickname',
      client: SECRET_OFF_CLIENT,
    });
    const res = await tokenRequest(
      app,
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
        type: 'web_server', // node-oauth adds it; unknown parameters are ignored
      },
      { client_id: SECRET_OFF_CLIENT.client_id, client_secret: 'kakao' },
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.scope, 'openid profile_nickname');
    const parsedBodyWarnings = warn.mock.calls.filter((c) =>
      String(c.arguments[0]).includes('already parsed'),
    );
    assert.deepEqual(parsedBodyWarnings, [], 'the rewritten body reaches oidc-provider as a fresh stream');
  });
});
