/**
 * Auth.js (@auth/core 0.41, no one here wrote it) with its Kakao provider against a listening
 * yeon, driven as a framework drives it: `Auth(new Request(…), config)` for every request of the
 * app at https://rp.example, with a small cookie jar standing in for the person's browser on the
 * app's side. Each app goes through the whole scenario of kakao-scenario.ts.
 *
 * Two ways an app uses the provider, each with the client secret on and off:
 * - OAuth, as shipped (`type: 'oauth'`): Auth.js reads the profile from /v2/user/me. It does not
 *   know yeon's issuer, so an RFC 9207 `iss` on the redirect would make it refuse the login; Kakao
 *   sends none. The migration is the three URLs (`authorization`, `token`, `userinfo`).
 * - OpenID Connect (`type: 'oidc'`, `issuer`): the profile comes from the ID token, whose claims
 *   oauth4webapi validates inside Auth.js (iss, aud, exp, nonce); Auth.js does not check ID token
 *   signatures, so the scenario checks it against the JWKS with node:crypto. The provider's
 *   `profile()` reads Kakao's /v2/user/me shape, so an OIDC app maps the claims itself.
 *
 * Auth.js has no refresh of its own; its "Refresh token rotation" guide has the app call the
 * provider's token endpoint from the `jwt` callback. Here that runs on a session update
 * (`POST /api/auth/session`), so the refresh goes through Auth.js's own JWT session plumbing.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { Auth, type AuthConfig } from '@auth/core';
import Kakao from '@auth/core/providers/kakao';
import {
  kakaoAppScenario,
  type LibraryClient,
  type ScenarioContext,
  type TokenSet,
  yeonServer,
} from './kakao-scenario.ts';

const APP_ORIGIN = 'https://rp.example';
const CALLBACK = `${APP_ORIGIN}/api/auth/callback/kakao`;

/** The app's side of the person's browser: Auth.js's cookies, kept between requests. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

type Account = Record<string, unknown>;

function authCoreClient(mode: 'oauth' | 'oidc') {
  return (ctx: ScenarioContext): LibraryClient => {
    const yeon = ctx.baseUrl;
    const seen: { account?: Account; refreshed?: Account } = {};
    // what Auth.js logged as errors: it answers failures with a redirect to its error page
    const errors: string[] = [];
    const logged = () => errors.map((e) => e.slice(0, 600)).join(' | ');

    // The migration: Kakao's three URLs on yeon (and, for OpenID Connect, yeon as the issuer).
    const kakao = Kakao({
      clientId: ctx.client.rest_api_key,
      // Secret off: Auth.js refuses an empty secret, so the app says it has none (as it must
      // for a secret-off app at Kakao too).
      ...(ctx.secretOn
        ? { clientSecret: ctx.client.client_secret }
        : { client: { token_endpoint_auth_method: 'none' as const } }),
      authorization:
        mode === 'oauth'
          ? `${yeon}/oauth/authorize?scope`
          : { url: `${yeon}/oauth/authorize`, params: { scope: 'openid profile_nickname account_email' } },
      token: `${yeon}/oauth/token`,
      userinfo: `${yeon}/v2/user/me`,
      ...(mode === 'oidc'
        ? {
            issuer: yeon,
            checks: ['pkce', 'state', 'nonce'],
            profile: (claims: Record<string, unknown>) => ({
              id: String(claims.sub),
              name: claims.nickname as string | undefined,
              email: claims.email as string | undefined,
            }),
          }
        : {}),
    });
    // `type` is not an option of the Kakao provider: an OIDC app sets it on the provider object.
    const provider = mode === 'oauth' ? kakao : { ...kakao, type: 'oidc' as const };

    const config: AuthConfig = {
      basePath: '/api/auth',
      trustHost: true,
      secret: 'an Auth.js secret of the test app, long enough',
      providers: [provider as never],
      logger: {
        error: (e) => {
          const cause = (e as { cause?: { err?: Error } & Record<string, unknown> }).cause;
          errors.push(
            `${e.name}: ${e.message} ${cause?.err?.message ?? (cause ? JSON.stringify(cause) : '')}`,
          );
        },
        warn: () => {},
        debug: () => {},
      },
      callbacks: {
        async jwt({ token, account, trigger, session }) {
          if (account) {
            seen.account = account as Account;
            return { ...token, access_token: account.access_token, refresh_token: account.refresh_token };
          }
          if (trigger === 'update' && (session as { refresh?: boolean } | undefined)?.refresh) {
            // Auth.js guide "Refresh token rotation": POST the refresh token to the token endpoint.
            const res = await fetch(`${yeon}/oauth/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                grant_type: 'refresh_token',
                client_id: ctx.client.rest_api_key,
                ...(ctx.secretOn ? { client_secret: ctx.client.client_secret } : {}),
                refresh_token: String(token.refresh_token),
              }),
            });
            const tokens = (await res.json()) as Account;
            if (!res.ok) throw new Error(`refresh: ${res.status} ${JSON.stringify(tokens)}`);
            seen.refreshed = tokens;
            return {
              ...token,
              access_token: tokens.access_token,
              refresh_token: tokens.refresh_token ?? token.refresh_token,
            };
          }
          return token;
        },
        async session({ session, token }) {
          return { ...session, accessToken: token.access_token } as typeof session;
        },
      },
    };

    const jar = new CookieJar();
    const app = async (path: string, init: RequestInit = {}): Promise<Response> => {
      const headers = new Headers(init.headers);
      headers.set('cookie', jar.header());
      const res = await Auth(new Request(new URL(path, APP_ORIGIN), { ...init, headers }), config);
      jar.keep(res);
      return res;
    };
    const csrf = async () =>
      ((await (await app('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;

    return {
      async start() {
        const res = await app('/api/auth/signin/kakao', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrfToken: await csrf(), callbackUrl: `${APP_ORIGIN}/home` }),
        });
        const location = res.headers.get('location') ?? '';
        assert.equal(res.status, 302, `sign-in: ${res.status} ${await res.text()}`);
        return new URL(location);
      },
      async finish(callback) {
        assert.equal(callback.origin + callback.pathname, CALLBACK);
        seen.account = undefined;
        const res = await app(callback.pathname + callback.search);
        const location = res.headers.get('location') ?? '';
        assert.equal(location, `${APP_ORIGIN}/home`, `Auth.js callback ended at ${location}: ${logged()}`);
        // The session Auth.js made from the profile it read (/v2/user/me or the ID token).
        const session = (await (await app('/api/auth/session')).json()) as {
          user?: { name?: string; email?: string };
        };
        assert.ok(session.user?.name, `session: ${JSON.stringify(session)}`);
        // The profile read from /v2/user/me has the email; an ID token carries it only when the
        // address is verified (Kakao REST API "ID token payload": email), and yeon verifies none.
        if (mode === 'oauth') assert.ok(session.user?.email, `session: ${JSON.stringify(session)}`);
        const account = seen.account as Account | undefined;
        assert.ok(account, 'the jwt callback saw the account');
        return {
          accessToken: String(account.access_token),
          refreshToken: account.refresh_token as string | undefined,
          idToken: account.id_token as string | undefined,
          raw: account,
        };
      },
      async userMe(accessToken) {
        // After sign-in an Auth.js app calls Kakao's APIs itself with the access token.
        const res = await fetch(`${yeon}/v2/user/me`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        if (!res.ok) throw new Error(`/v2/user/me ${res.status}: ${await res.text()}`);
        return (await res.json()) as Record<string, unknown>;
      },
      async refresh(): Promise<TokenSet> {
        seen.refreshed = undefined;
        const res = await app('/api/auth/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ csrfToken: await csrf(), data: { refresh: true } }),
        });
        const session = (await res.json()) as { accessToken?: string } | null;
        const tokens = seen.refreshed as Account | undefined;
        if (!tokens) throw new Error(`no refresh: ${logged()}`);
        assert.equal(session?.accessToken, tokens.access_token, 'the session carries the new access token');
        return {
          accessToken: String(tokens.access_token),
          refreshToken: tokens.refresh_token as string | undefined,
          raw: tokens,
        };
      },
    };
  };
}

describe('Auth.js (@auth/core) Kakao provider against yeon', () => {
  const yeon = yeonServer();
  kakaoAppScenario('OAuth as shipped, secret on', yeon, {
    secret: true,
    oidc: false,
    redirectUri: CALLBACK,
    makeClient: authCoreClient('oauth'),
  });
  kakaoAppScenario('OAuth as shipped, secret off', yeon, {
    secret: false,
    oidc: false,
    redirectUri: CALLBACK,
    makeClient: authCoreClient('oauth'),
  });
  kakaoAppScenario('OpenID Connect, secret on', yeon, {
    secret: true,
    oidc: true,
    redirectUri: CALLBACK,
    makeClient: authCoreClient('oidc'),
  });
  kakaoAppScenario('OpenID Connect, secret off', yeon, {
    secret: false,
    oidc: true,
    redirectUri: CALLBACK,
    makeClient: authCoreClient('oidc'),
  });
});
