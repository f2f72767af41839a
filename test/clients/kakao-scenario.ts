/**
 * The one scenario every real-client test runs, whatever the library: a Kakao app (client secret
 * on or off) whose person logs in and consents on yeon's real pages, then the app uses the tokens
 * the library obtained the way Kakao's REST API reference describes:
 *
 *   1. login: authorize → login page → consent page → redirect_uri?code&state → code exchange
 *      (Kakao REST API "Get authorization code", "Get tokens"; RFC 6749 §4.1.2, §4.1.4);
 *   2. `GET /v2/user/me` with the access token ("Retrieve user information");
 *   3. `grant_type=refresh_token` ("Refresh tokens"): a new access token, no new refresh token
 *      while more than 30 days remain; two refreshes at once with one refresh token both work;
 *   4. `POST /v1/user/logout` with Bearer ("Logout"): the user's tokens are expired, the refresh
 *      token included;
 *   5. `POST /v1/user/unlink` with Bearer ("Unlink"), after a second login and a refresh: the
 *      tokens die with the link, a kapi call with them is refused with Kakao's envelope
 *      `{"msg": …, "code": -401}`, and the refresh token is refused.
 *
 * A library plugs in through `LibraryClient`: it builds the authorize URL, handles the redirect
 * back and exchanges the code, reads /v2/user/me and refreshes, each with its own code. Calls no
 * library offers (logout, unlink — Kakao-only APIs) are plain `fetch`, as apps make them.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { CreateAppInput } from '../../src/modules/apps/apps.types.ts';
import { findAppUserId } from '../../src/modules/connections/connections.repo.ts';
import { type BrowserServer, startBrowserServer } from '../helpers/browser.ts';
import { createClientApp, createPerson, REDIRECT_URI, type TestClient } from '../oidc/engine-fixtures.ts';
import { FetchBrowser } from './fetch-browser.ts';

export const PASSWORD = 'correct horse battery';
/** Kakao's access token lifetime in seconds (REST API "Get tokens": expires_in 43199). */
export const ACCESS_TOKEN_TTL_S = 43_199;

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** The token response as the library handed it over (Kakao's fields, REST API "Get tokens"). */
  raw: Record<string, unknown>;
}

export interface LibraryClient {
  /** The authorize URL, built by the library (with whatever state, nonce and PKCE it keeps). */
  start(): Promise<URL>;
  /** The library handles the redirect back to redirect_uri and exchanges the code. */
  finish(callback: URL): Promise<TokenSet>;
  /** /v2/user/me read with the library's own request helper. */
  userMe(accessToken: string): Promise<Record<string, unknown>>;
  /** grant_type=refresh_token through the library. */
  refresh(refreshToken: string): Promise<TokenSet>;
}

export interface ScenarioContext {
  server: BrowserServer;
  baseUrl: string;
  client: TestClient;
  secretOn: boolean;
}

export interface ScenarioOptions {
  secret: boolean;
  /** The app's "OpenID Connect" switch (Kakao: Kakao Login > OpenID Connect). */
  oidc: boolean;
  /** The redirect URI the library's app registers; REDIRECT_URI when omitted. */
  redirectUri?: string;
  /** Extra app settings (consent items, …). */
  app?: Partial<CreateAppInput>;
  makeClient(ctx: ScenarioContext): Promise<LibraryClient> | LibraryClient;
}

/** A real yeon on loopback for one `describe`, closed when it ends. */
export function yeonServer(): () => BrowserServer {
  let server: BrowserServer | undefined;
  const closers: Array<() => Promise<void>> = [];
  before(async () => {
    server = await startBrowserServer((fn) => closers.push(fn));
  });
  after(async () => {
    for (const fn of closers.reverse()) await fn();
  });
  return () => {
    if (!server) throw new Error('yeon is not started');
    return server;
  };
}

/**
 * The person's browser leg: follow the authorize URL, log in and agree on the pages shown, until
 * the redirect that leaves yeon. A browser with a live yeon session and an earlier consent sees no
 * page at all (Kakao: a logged-in account that already agreed goes straight back).
 */
export async function signInThroughPages(
  browser: FetchBrowser,
  authorizeUrl: URL,
  person: { email: string },
): Promise<URL> {
  let step = await browser.follow(authorizeUrl.toString());
  for (let page = 0; page < 4 && step.url.origin === browser.origin; page++) {
    if (browser.lastHtml.includes('/login"')) {
      step = await browser.submit('/login', [
        ['email', person.email],
        ['password', PASSWORD],
      ]);
    } else if (browser.lastHtml.includes('/consent"')) {
      step = await browser.submit('/consent', [['action', 'agree_all']]);
    } else if (browser.lastHtml.includes('/select"')) {
      step = await browser.submit('/select', []);
    } else {
      assert.fail(`stuck at ${step.url} (${step.res.status}): ${browser.lastHtml.slice(0, 600)}`);
    }
  }
  assert.notEqual(step.url.origin, browser.origin, `never left yeon: ${step.url}`);
  return step.url;
}

export interface KapiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One kapi call as an app makes it: Bearer or `KakaoAK {admin key}`, form body for POST. */
export async function kapi(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  auth: { bearer: string } | { adminKey: string },
  form?: Record<string, string>,
): Promise<KapiAnswer> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      authorization: 'bearer' in auth ? `Bearer ${auth.bearer}` : `KakaoAK ${auth.adminKey}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: res.status, body };
}

/** Kakao's refusal of a dead or unknown token: HTTP 401, exactly `{"msg": string, "code": -401}`. */
export function assertTokenRefused(answer: KapiAnswer, what: string): void {
  assert.equal(answer.status, 401, `${what}: ${JSON.stringify(answer.body)}`);
  assert.deepEqual(
    Object.keys(answer.body).sort(),
    ['code', 'msg'],
    `${what}: ${JSON.stringify(answer.body)}`,
  );
  assert.equal(answer.body.code, -401, what);
  assert.equal(typeof answer.body.msg, 'string', what);
}

/** A raw `grant_type=refresh_token` request, to see exactly how yeon answers a dead refresh token. */
export async function rawRefresh(ctx: ScenarioContext, refreshToken: string): Promise<KapiAnswer> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: ctx.client.rest_api_key,
    refresh_token: refreshToken,
    ...(ctx.secretOn ? { client_secret: ctx.client.client_secret } : {}),
  });
  const res = await fetch(new URL('/oauth/token', ctx.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: form.toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A body for a failure message: long values (tokens) cut short. */
function show(body: Record<string, unknown>): string {
  return JSON.stringify(body, (_k, v) => (typeof v === 'string' && v.length > 48 ? `${v.slice(0, 20)}…` : v));
}

/** A refresh token that no longer works: 400 `invalid_grant` (RFC 6749 §5.2), as Kakao answers. */
export async function assertRefreshRefused(ctx: ScenarioContext, refreshToken: string, what: string) {
  const answer = await rawRefresh(ctx, refreshToken);
  let detail = show(answer.body);
  if (answer.status === 200) {
    // say whether the access token handed out is a live one, for whoever reads the failure
    const probe = await kapi(ctx.baseUrl, 'GET', '/v2/user/me', { bearer: String(answer.body.access_token) });
    detail += `; /v2/user/me with its access_token: ${probe.status} ${show(probe.body)}`;
  }
  assert.equal(answer.status, 400, `${what}: ${answer.status} ${detail}`);
  assert.equal(answer.body.error, 'invalid_grant', `${what}: ${detail}`);
}

function decodeJson(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Checks an ID token as OpenID Connect Core §3.1.3.7 says, with node:crypto only (no library of
 * the client under test): the RS256 signature against the key of the JWKS that discovery names
 * (`jwks_uri`), then `iss`, `aud`, `exp`, `iat`. Returns the claims.
 */
export async function verifyIdTokenWithJwks(
  baseUrl: string,
  idToken: string,
  audience: string,
): Promise<Record<string, unknown>> {
  const [h, p, s] = idToken.split('.');
  const header = decodeJson(h);
  assert.equal(header.alg, 'RS256', 'Kakao signs ID tokens with RS256');
  const discovery = (await (
    await fetch(new URL('/.well-known/openid-configuration', baseUrl))
  ).json()) as Record<string, unknown>;
  assert.equal(discovery.jwks_uri, `${baseUrl}/.well-known/jwks.json`);
  const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as {
    keys: Array<Record<string, unknown>>;
  };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `no key ${String(header.kid)} in the JWKS`);
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  const signed = verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s ?? '', 'base64url'));
  assert.ok(signed, 'the ID token signature verifies with the JWKS key');
  const claims = decodeJson(p);
  assert.equal(claims.iss, baseUrl);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  assert.ok(aud.includes(audience), `aud ${JSON.stringify(claims.aud)} names the REST API key`);
  const now = Math.floor(Date.now() / 1000);
  assert.ok(Number(claims.exp) > now, 'not expired');
  assert.ok(Number(claims.iat) <= now + 5, 'not issued in the future');
  return claims;
}

/**
 * Registers the scenario for one app as a `describe` of sequential tests sharing state: a failing
 * step shows as its own failure, and later steps say they had nothing to work with.
 */
export function kakaoAppScenario(name: string, yeon: () => BrowserServer, options: ScenarioOptions): void {
  describe(name, () => {
    let ctx: ScenarioContext;
    let lib: LibraryClient;
    let person: Awaited<ReturnType<typeof createPerson>>;
    let browser: FetchBrowser;
    let appUserId: number;
    let tokens: TokenSet | undefined;
    let refreshed: TokenSet | undefined;

    before(async () => {
      const server = yeon();
      const client = await createClientApp(server.app, {
        client_secret_enabled: options.secret,
        oidc_enabled: options.oidc,
        redirect_uris: [options.redirectUri ?? REDIRECT_URI],
        ...options.app,
      });
      ctx = { server, baseUrl: server.baseUrl, client, secretOn: options.secret };
      person = await createPerson(server.app, `${name.slice(0, 20)} Person`);
      browser = new FetchBrowser(server.baseUrl);
      lib = await options.makeClient(ctx);
    });

    const need = <T>(value: T | undefined, what: string): T => {
      assert.ok(value, `no ${what}: an earlier step failed`);
      return value;
    };

    test('login: authorize → real login and consent pages → redirect_uri → code exchange', async () => {
      const authorize = await lib.start();
      assert.equal(authorize.origin + authorize.pathname, `${ctx.baseUrl}/oauth/authorize`);
      const callback = await signInThroughPages(browser, authorize, person);
      assert.equal(
        callback.searchParams.get('error'),
        null,
        `authorize refused: ${callback.searchParams.get('error_description')} (${callback})`,
      );
      assert.equal(callback.origin + callback.pathname, options.redirectUri ?? REDIRECT_URI);
      // Kakao's redirect carries code and state only (REST API "Get authorization code"): no
      // RFC 9207 `iss`, which clients holding a different issuer value would reject.
      assert.equal(callback.searchParams.get('iss'), null, `no iss on the redirect: ${callback}`);
      assert.ok(callback.searchParams.get('code'));
      assert.equal(callback.searchParams.get('state'), authorize.searchParams.get('state'));

      tokens = await lib.finish(callback);
      appUserId = Number(await findAppUserId(ctx.server.db, ctx.client.app_id, person.id));
      // Kakao REST API "Get tokens": token_type, access_token, id_token (OIDC apps), expires_in,
      // refresh_token, refresh_token_expires_in, scope.
      const raw = tokens.raw;
      assert.equal(String(raw.token_type).toLowerCase(), 'bearer');
      assert.equal(raw.expires_in, ACCESS_TOKEN_TTL_S);
      assert.equal(typeof tokens.accessToken, 'string');
      assert.equal(typeof tokens.refreshToken, 'string', 'a refresh token with every code exchange');
      assert.equal(typeof raw.refresh_token_expires_in, 'number');
      if (options.oidc) {
        // Kakao: an app with OpenID Connect on gets an ID token from the code exchange, asked
        // for with `openid` or not (REST API "Get tokens": id_token "if OpenID Connect is enabled").
        const idToken = need(tokens.idToken, 'id_token in the token response of an OIDC app');
        const claims = await verifyIdTokenWithJwks(ctx.baseUrl, idToken, ctx.client.rest_api_key);
        assert.equal(claims.sub, String(appUserId), 'sub is the app user id (Kakao: the user id)');
      } else {
        assert.equal(tokens.idToken, undefined, 'no ID token when OpenID Connect is off');
      }
    });

    test('GET /v2/user/me with the access token', async () => {
      const t = need(tokens, 'tokens');
      const me = await lib.userMe(t.accessToken);
      assert.equal(me.id, appUserId, 'id is the app user id, a JSON number');
      assert.equal(typeof me.connected_at, 'string');
      const properties = me.properties as Record<string, unknown> | undefined;
      assert.equal(properties?.nickname, person.nickname);
      const account = me.kakao_account as Record<string, unknown> | undefined;
      assert.equal(account?.email, person.email);
    });

    test('refresh (grant_type=refresh_token): a new access token, the refresh token kept', async () => {
      const t = need(tokens, 'tokens');
      refreshed = await lib.refresh(need(t.refreshToken, 'refresh token'));
      assert.notEqual(refreshed.accessToken, t.accessToken);
      assert.equal(refreshed.raw.expires_in, ACCESS_TOKEN_TTL_S);
      // Kakao REST API "Refresh tokens": refresh_token comes back only when less than a month of
      // its life is left; a fresh one has 60 days.
      assert.equal(refreshed.refreshToken, undefined, 'no new refresh token while 30+ days remain');
      const me = await lib.userMe(refreshed.accessToken);
      assert.equal(me.id, appUserId);
    });

    test('two refreshes at once with the same refresh token both succeed (it stays valid until renewed)', async () => {
      // Kakao REST API "Refresh tokens": the refresh token is reusable for its whole life unless a
      // new one is issued; an app with several servers may well refresh twice at the same moment.
      const refreshToken = need(tokens?.refreshToken, 'refresh token');
      const answers = await Promise.all([rawRefresh(ctx, refreshToken), rawRefresh(ctx, refreshToken)]);
      for (const answer of answers) {
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        const me = await kapi(ctx.baseUrl, 'GET', '/v2/user/me', {
          bearer: String(answer.body.access_token),
        });
        assert.equal(me.status, 200, `the access token of each answer works: ${JSON.stringify(me.body)}`);
      }
    });

    test('logout (POST /v1/user/logout, Bearer): {id}; the access token is refused afterwards', async () => {
      const access = need(refreshed, 'refreshed tokens').accessToken;
      const out = await kapi(ctx.baseUrl, 'POST', '/v1/user/logout', { bearer: access });
      assert.equal(out.status, 200, JSON.stringify(out.body));
      assert.deepEqual(out.body, { id: appUserId });
      assertTokenRefused(
        await kapi(ctx.baseUrl, 'GET', '/v2/user/me', { bearer: access }),
        '/v2/user/me after logout',
      );
    });

    test('after logout the refresh token is refused too (Kakao "Logout": expires the user\'s tokens)', async () => {
      await assertRefreshRefused(ctx, need(tokens?.refreshToken, 'refresh token'), 'refresh after logout');
    });

    test('unlink (POST /v1/user/unlink, Bearer) after a new login: {id}; the tokens die with the link', async () => {
      need(tokens, 'tokens from the first login');
      // The person logs in again through the library; their yeon session and consent are kept
      // by a logout (it is not an unlink), so yeon may send them straight back.
      const authorize = await lib.start();
      const callback = await signInThroughPages(browser, authorize, person);
      assert.equal(callback.searchParams.get('error'), null, `authorize refused: ${callback}`);
      const again = await lib.finish(callback);
      const me = await lib.userMe(again.accessToken);
      assert.equal(me.id, appUserId, 'the same app user id on the second login');
      // the app refreshes once before the unlink: no answer of that refresh may outlive the link
      await lib.refresh(need(again.refreshToken, 'refresh token of the second login'));

      const out = await kapi(ctx.baseUrl, 'POST', '/v1/user/unlink', { bearer: again.accessToken });
      assert.equal(out.status, 200, JSON.stringify(out.body));
      assert.deepEqual(out.body, { id: appUserId });
      assertTokenRefused(
        await kapi(ctx.baseUrl, 'GET', '/v2/user/me', { bearer: again.accessToken }),
        '/v2/user/me after unlink',
      );
      assertTokenRefused(
        await kapi(ctx.baseUrl, 'POST', '/v1/user/unlink', { bearer: again.accessToken }),
        'a second unlink with the same token',
      );
      await assertRefreshRefused(ctx, need(again.refreshToken, 'refresh token'), 'refresh after unlink');
    });
  });
}
