/**
 * openid-client 6 (panva, no one here wrote it) against a listening yeon, beside
 * openid-client.test.ts (discovery, introspection, revocation): here the Kakao scenario of
 * kakao-scenario.ts for an app with the client secret on and one with it off.
 *
 * Both apps have OpenID Connect on and ask for `openid` with state and nonce. The secret-on app
 * uses PKCE; the secret-off app does not (Kakao never requires PKCE, and a Kakao app moved to
 * openid-client as-is sends none). `enableNonRepudiationChecks` makes openid-client verify each ID
 * token's signature against the discovered JWKS; the scenario checks it again with node:crypto.
 *
 * Migration: the issuer URL given to discovery is yeon's origin; nothing else changes.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import * as oidc from 'openid-client';
import { REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import {
  kakaoAppScenario,
  type LibraryClient,
  type ScenarioContext,
  type TokenSet,
  yeonServer,
} from './kakao-scenario.ts';

function tokenSet(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): TokenSet {
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    idToken: tokens.id_token,
    raw: { ...tokens },
  };
}

function openidClient(withPkce: boolean) {
  return async (ctx: ScenarioContext): Promise<LibraryClient> => {
    const config = await oidc.discovery(
      new URL(ctx.baseUrl),
      ctx.client.rest_api_key,
      { redirect_uris: [REDIRECT_URI] },
      ctx.secretOn ? oidc.ClientSecretPost(ctx.client.client_secret) : oidc.None(),
      { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] },
    );
    // No RFC 9207 in Kakao's discovery, so openid-client does not demand `iss` on the redirect.
    assert.equal(config.serverMetadata().authorization_response_iss_parameter_supported, undefined);
    let flow = { verifier: undefined as string | undefined, state: '', nonce: '' };
    return {
      async start() {
        flow = {
          verifier: withPkce ? oidc.randomPKCECodeVerifier() : undefined,
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
        };
        return oidc.buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT_URI,
          scope: 'openid profile_nickname account_email',
          state: flow.state,
          nonce: flow.nonce,
          ...(flow.verifier
            ? {
                code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
                code_challenge_method: 'S256',
              }
            : {}),
        });
      },
      async finish(callback) {
        const tokens = await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        assert.equal(claims.nonce, flow.nonce);
        assert.equal(claims.aud, ctx.client.rest_api_key);
        return tokenSet(tokens);
      },
      async userMe(accessToken) {
        const res = await oidc.fetchProtectedResource(
          config,
          accessToken,
          new URL('/v2/user/me', ctx.baseUrl),
          'GET',
        );
        if (!res.ok) throw new Error(`/v2/user/me ${res.status}: ${await res.text()}`);
        return (await res.json()) as Record<string, unknown>;
      },
      async refresh(refreshToken) {
        return tokenSet(await oidc.refreshTokenGrant(config, refreshToken));
      },
    };
  };
}

describe('openid-client 6, the Kakao scenario', () => {
  const yeon = yeonServer();
  kakaoAppScenario('secret on (client_secret_post), PKCE', yeon, {
    secret: true,
    oidc: true,
    makeClient: openidClient(true),
  });
  kakaoAppScenario('secret off (public client), no PKCE', yeon, {
    secret: false,
    oidc: true,
    makeClient: openidClient(false),
  });
});
