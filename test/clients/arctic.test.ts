/**
 * arctic 3's `Kakao` class (written for Kakao Login, no one here wrote it) against a listening
 * yeon: an app with the client secret on and one with it off, each through the whole scenario of
 * kakao-scenario.ts (login on the real pages, /v2/user/me, refresh, logout, unlink).
 *
 * arctic hard-codes https://kauth.kakao.com for both endpoints and sends its token requests with
 * the global fetch; it sends no PKCE (Kakao does not require it) and always a `client_secret`
 * (empty when the app has none, which Kakao ignores for a secret-off app). The developer's change
 * is in `YeonKakao` and the fetch wrapper below, and nothing else: the calls are arctic's own, and
 * /v2/user/me is read with `fetch('https://kapi.kakao.com/v2/user/me')` as arctic's guide does.
 */
import { after, before, describe } from 'node:test';
import { generateState, Kakao } from 'arctic';
import { REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import { kakaoToYeonFetch, toYeon } from './kakao-hosts.ts';
import {
  kakaoAppScenario,
  type LibraryClient,
  type ScenarioContext,
  type TokenSet,
  yeonServer,
} from './kakao-scenario.ts';

/**
 * The migration, part 1: arctic builds the authorize URL on kauth.kakao.com; the app sends the
 * browser to the same path on yeon instead.
 */
class YeonKakao extends Kakao {
  constructor(
    clientId: string,
    clientSecret: string,
    redirectURI: string,
    private readonly yeonOrigin: string,
  ) {
    super(clientId, clientSecret, redirectURI);
  }

  override createAuthorizationURL(state: string, scopes: string[]): URL {
    return toYeon(super.createAuthorizationURL(state, scopes), this.yeonOrigin);
  }
}

function tokenSet(tokens: Awaited<ReturnType<Kakao['validateAuthorizationCode']>>): TokenSet {
  const raw = tokens.data as Record<string, unknown>;
  return {
    accessToken: tokens.accessToken(),
    refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : undefined,
    idToken: typeof raw.id_token === 'string' ? raw.id_token : undefined,
    raw,
  };
}

function arcticClient(ctx: ScenarioContext): LibraryClient {
  const kakao = new YeonKakao(
    ctx.client.rest_api_key,
    ctx.secretOn ? ctx.client.client_secret : '',
    REDIRECT_URI,
    ctx.baseUrl,
  );
  let expectedState = '';
  return {
    async start() {
      expectedState = generateState();
      return kakao.createAuthorizationURL(expectedState, ['profile_nickname', 'account_email']);
    },
    async finish(callback) {
      // arctic leaves the state check to the app (its guide compares it with a cookie)
      if (callback.searchParams.get('state') !== expectedState) throw new Error('state mismatch');
      return tokenSet(await kakao.validateAuthorizationCode(callback.searchParams.get('code') ?? ''));
    },
    async userMe(accessToken) {
      const res = await fetch('https://kapi.kakao.com/v2/user/me', {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      if (!res.ok) throw new Error(`/v2/user/me ${res.status}: ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async refresh(refreshToken) {
      return tokenSet(await kakao.refreshAccessToken(refreshToken));
    },
  };
}

describe('arctic 3 (Kakao) against yeon', () => {
  const yeon = yeonServer();
  // The migration, part 2: the global fetch sends arctic's token requests (and the app's kapi
  // calls) for Kakao's hosts to yeon.
  const original = globalThis.fetch;
  before(() => {
    globalThis.fetch = kakaoToYeonFetch(yeon().baseUrl, original);
  });
  after(() => {
    globalThis.fetch = original;
  });

  kakaoAppScenario('secret on', yeon, { secret: true, oidc: false, makeClient: arcticClient });
  kakaoAppScenario('secret off', yeon, { secret: false, oidc: false, makeClient: arcticClient });
});
