/**
 * oauth4webapi 3 (panva, no one here wrote it) against a listening yeon, configured from discovery
 * alone (`/.well-known/openid-configuration`): an app with the client secret on
 * (`client_secret_post`, Kakao's method) and one with it off (public client, `none`), each through
 * the whole scenario of kakao-scenario.ts.
 *
 * Both apps have OpenID Connect on. The secret-on app asks only for Kakao consent items (no
 * `openid`): Kakao still returns an ID token to an OIDC app, and oauth4webapi validates whatever
 * ID token comes. The secret-off app asks for `openid` with a nonce. Both use PKCE, as
 * oauth4webapi's guide does. The ID token's signature is checked by oauth4webapi itself
 * (`validateApplicationLevelSignature`, against the discovered `jwks_uri`) and again by the
 * scenario with node:crypto.
 *
 * Migration: the issuer URL given to discovery is yeon's origin; nothing else changes.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import * as o from 'oauth4webapi';
import { REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import {
  kakaoAppScenario,
  type LibraryClient,
  type ScenarioContext,
  type TokenSet,
  yeonServer,
} from './kakao-scenario.ts';

const insecure = { [o.allowInsecureRequests]: true } as const; // yeon on http://127.0.0.1 in tests

function tokenSet(result: o.TokenEndpointResponse): TokenSet {
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    idToken: result.id_token,
    raw: { ...result },
  };
}

function oauth4webapiClient(withOpenid: boolean) {
  return async (ctx: ScenarioContext): Promise<LibraryClient> => {
    const issuer = new URL(ctx.baseUrl);
    const as = await o.processDiscoveryResponse(issuer, await o.discoveryRequest(issuer, insecure));
    // Kakao's discovery does not announce RFC 9207 (its redirects carry no `iss`); were it
    // announced, oauth4webapi would refuse every redirect without one.
    assert.equal(as.authorization_response_iss_parameter_supported, undefined);
    const client: o.Client = { client_id: ctx.client.rest_api_key };
    const clientAuth = ctx.secretOn ? o.ClientSecretPost(ctx.client.client_secret) : o.None();
    let flow = { verifier: '', state: '', nonce: undefined as string | undefined };

    return {
      async start() {
        flow = {
          verifier: o.generateRandomCodeVerifier(),
          state: o.generateRandomState(),
          nonce: withOpenid ? o.generateRandomNonce() : undefined,
        };
        const url = new URL(as.authorization_endpoint!);
        url.searchParams.set('client_id', client.client_id);
        url.searchParams.set('redirect_uri', REDIRECT_URI);
        url.searchParams.set('response_type', 'code');
        url.searchParams.set(
          'scope',
          withOpenid ? 'openid profile_nickname account_email' : 'profile_nickname account_email',
        );
        url.searchParams.set('code_challenge', await o.calculatePKCECodeChallenge(flow.verifier));
        url.searchParams.set('code_challenge_method', 'S256');
        url.searchParams.set('state', flow.state);
        if (flow.nonce) url.searchParams.set('nonce', flow.nonce);
        return url;
      },
      async finish(callback) {
        const params = o.validateAuthResponse(as, client, callback, flow.state);
        const response = await o.authorizationCodeGrantRequest(
          as,
          client,
          clientAuth,
          params,
          REDIRECT_URI,
          flow.verifier,
          insecure,
        );
        const result = await o.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: flow.nonce ?? o.expectNoNonce,
          requireIdToken: withOpenid,
        });
        if (result.id_token) {
          // non-repudiation: the ID token's JWS signature against the discovered JWKS
          await o.validateApplicationLevelSignature(as, response, insecure);
          const claims = o.getValidatedIdTokenClaims(result)!;
          assert.equal(claims.iss, ctx.baseUrl);
          assert.equal(claims.aud, client.client_id);
          if (flow.nonce) assert.equal(claims.nonce, flow.nonce);
        }
        return tokenSet(result);
      },
      async userMe(accessToken) {
        const res = await o.protectedResourceRequest(
          accessToken,
          'GET',
          new URL('/v2/user/me', ctx.baseUrl),
          undefined,
          undefined,
          insecure,
        );
        if (!res.ok) throw new Error(`/v2/user/me ${res.status}: ${await res.text()}`);
        return (await res.json()) as Record<string, unknown>;
      },
      async refresh(refreshToken) {
        const response = await o.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, insecure);
        return tokenSet(await o.processRefreshTokenResponse(as, client, response));
      },
    };
  };
}

describe('oauth4webapi 3 against yeon', () => {
  const yeon = yeonServer();
  kakaoAppScenario('secret on (client_secret_post), Kakao scopes without openid', yeon, {
    secret: true,
    oidc: true,
    makeClient: oauth4webapiClient(false),
  });
  kakaoAppScenario('secret off (public client), openid + nonce', yeon, {
    secret: false,
    oidc: true,
    makeClient: oauth4webapiClient(true),
  });
});
