/**
 * A client no one here wrote: openid-client 6 against a listening yeon —
 * discovery, authorization code flow with PKCE (the person logs in and consents on yeon's real
 * pages), ID token validation against the JWKS, userinfo, refresh, introspection and revocation.
 * openid-client 6 checks an ID token's signature only with `enableNonRepudiationChecks` (the TLS
 * channel is otherwise trusted, OIDC Core §3.1.3.7 item 6), so it is on here, and the signature is
 * checked once more against the discovered JWKS with node:crypto alone, which a tampered token fails.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { findAppUserId } from '../../src/modules/connections/connections.repo.ts';
import { startBrowserServer } from '../helpers/browser.ts';
import { createClientApp, createPerson, REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import { FetchBrowser } from './fetch-browser.ts';
import { verifyIdTokenWithJwks } from './kakao-scenario.ts';

describe('openid-client 6 against yeon', () => {
  test('discovery, code flow with PKCE through the real pages, userinfo, refresh, introspection, revocation', async (t) => {
    const server = await startBrowserServer(t.after.bind(t));
    const { app, db, baseUrl } = server;
    const client = await createClientApp(app, {
      client_secret_enabled: true,
      consent_items: [
        { item: 'profile_nickname', mode: 'required' },
        { item: 'account_email', mode: 'optional' },
      ],
    });
    const person = await createPerson(app, 'Openid Person');

    const config = await oidc.discovery(
      new URL(baseUrl),
      client.rest_api_key,
      { redirect_uris: [REDIRECT_URI], id_token_signed_response_alg: 'RS256' },
      oidc.ClientSecretPost(client.client_secret),
      { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] },
    );
    assert.equal(config.serverMetadata().issuer, baseUrl);

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile_nickname account_email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const browser = new FetchBrowser(baseUrl);
    await browser.follow(authUrl.toString());
    await browser.submit('/login', [
      ['email', person.email],
      ['password', 'correct horse battery'],
    ]);
    const back = await browser.submit('/consent', [['action', 'agree_all']]);
    assert.equal(back.url.origin + back.url.pathname, REDIRECT_URI, `ended at ${back.url}`);

    const tokens = await oidc.authorizationCodeGrant(config, back.url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    const appUserId = await findAppUserId(db, client.app_id, person.id);
    assert.equal(claims.sub, String(appUserId), 'sub is the app user id');
    assert.equal(claims.aud, client.rest_api_key);
    assert.equal(tokens.expires_in, 43199);
    const verified = await verifyIdTokenWithJwks(baseUrl, tokens.id_token!, client.rest_api_key);
    assert.equal(verified.sub, claims.sub);
    // the check has teeth: the same token with another subject no longer verifies
    const [header, , signature] = tokens.id_token!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...verified, sub: 'someone-else' })).toString('base64url');
    await assert.rejects(
      verifyIdTokenWithJwks(baseUrl, `${header}.${forged}.${signature}`, client.rest_api_key),
      /signature verifies/,
    );

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(userinfo.sub, claims.sub);
    assert.equal(userinfo.nickname, 'Openid Person');
    assert.equal(userinfo.email, person.email);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.refresh_token, undefined, 'Kakao: no new refresh token while 30+ days remain');
    assert.equal(refreshed.claims()?.sub, claims.sub);
    await verifyIdTokenWithJwks(baseUrl, refreshed.id_token!, client.rest_api_key);

    // openid-client itself refuses an ID token whose signature is not the JWKS key's: the same
    // refresh answer with one signature byte changed on the way
    config[oidc.customFetch] = async (url, options) => {
      const res = await fetch(url, options as RequestInit);
      if (new URL(url).pathname !== '/oauth/token') return res;
      const body = (await res.json()) as { id_token?: string };
      const [h, p, sig] = body.id_token!.split('.');
      const bytes = Buffer.from(sig!, 'base64url');
      bytes[0]! ^= 1;
      body.id_token = `${h}.${p}.${bytes.toString('base64url')}`;
      return new Response(JSON.stringify(body), {
        status: res.status,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      });
    };
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (err: Error) => {
      assert.match(String((err.cause as Error | undefined)?.message), /signature verification failed/);
      return true;
    });
    delete config[oidc.customFetch];

    const active = await oidc.tokenIntrospection(config, refreshed.access_token);
    assert.equal(active.active, true);
    await oidc.tokenRevocation(config, refreshed.access_token);
    const revoked = await oidc.tokenIntrospection(config, refreshed.access_token);
    assert.equal(revoked.active, false);
  });
});
