/**
 * passport-kakao 1 (rotoshine/passport-kakao, no one here wrote it) against a listening yeon: an
 * app with the client secret on and one with it off, each through the whole scenario of
 * kakao-scenario.ts (login on the real pages, /v2/user/me, refresh, logout, unlink).
 *
 * What passport-kakao does on the wire, unchanged here: authorize with comma-separated scopes and
 * `state` kept in the session (`state: true`), no PKCE; the code exchange through node-oauth with
 * `client_secret` in the form (`kakao` when the app configured none); the profile read with
 * `GET /v2/user/me?access_token=…` (node-oauth puts the token in the query). Passport is driven
 * without Express: the strategy's redirect/success/fail/error actions are captured, as passport's
 * own tests do, and the session is a plain object kept between the two requests.
 *
 * passport-kakao hard-codes Kakao's URLs (its buildOptions overwrites authorizationURL and
 * tokenURL; the profile URL is set in the constructor), so `YeonKakaoStrategy` below is the whole
 * migration: the three URLs set again after construction.
 */
import { describe } from 'node:test';
import { Strategy as KakaoStrategy, type StrategyOptions, type VerifyFunction } from 'passport-kakao';
import { REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import {
  kakaoAppScenario,
  type LibraryClient,
  type ScenarioContext,
  type TokenSet,
  yeonServer,
} from './kakao-scenario.ts';

interface NodeOAuth2 {
  _authorizeUrl: string;
  _accessTokenUrl: string;
  getOAuthAccessToken(
    code: string,
    params: Record<string, string>,
    cb: (err: unknown, access?: string, refresh?: string, results?: Record<string, unknown>) => void,
  ): void;
}

/** The migration: the same strategy, its three Kakao URLs on yeon. */
class YeonKakaoStrategy extends KakaoStrategy {
  constructor(yeonOrigin: string, options: StrategyOptions, verify: VerifyFunction) {
    super(options, verify);
    this.oauth2._authorizeUrl = `${yeonOrigin}/oauth/authorize`;
    this.oauth2._accessTokenUrl = `${yeonOrigin}/oauth/token`;
    this._userProfileURL = `${yeonOrigin}/v2/user/me`;
  }

  /** node-oauth's client, for the refresh below (passport itself never refreshes). */
  get oauth2(): NodeOAuth2 {
    return this._oauth2 as unknown as NodeOAuth2;
  }
}

type Outcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: Record<string, unknown> }
  | { kind: 'fail'; info: unknown }
  | { kind: 'error'; err: Error };

/** One `authenticate` call: resolves with what the strategy decided. */
function authenticate(strategy: KakaoStrategy, req: Record<string, unknown>, options = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = Object.create(strategy) as KakaoStrategy & Record<string, unknown>;
    s.redirect = (url: string) => resolve({ kind: 'redirect', url });
    s.success = (user: Record<string, unknown>) => resolve({ kind: 'success', user });
    s.fail = (info: unknown) => resolve({ kind: 'fail', info });
    s.error = (err: Error) => resolve({ kind: 'error', err });
    s.authenticate(req as never, options);
  });
}

function describeOutcome(outcome: Outcome): string {
  return JSON.stringify(outcome, (_k, v) => (v instanceof Error ? `${v.message} ${JSON.stringify(v)}` : v));
}

function passportClient(ctx: ScenarioContext): LibraryClient {
  const strategy = new YeonKakaoStrategy(
    ctx.baseUrl,
    {
      clientID: ctx.client.rest_api_key,
      // secret off: passport-kakao then sends client_secret=kakao, which yeon ignores as Kakao does
      ...(ctx.secretOn ? { clientSecret: ctx.client.client_secret } : {}),
      callbackURL: REDIRECT_URI,
      state: true,
    },
    (accessToken, refreshToken, params, profile, done) =>
      done(null, { accessToken, refreshToken, params, profile }),
  );
  const session: Record<string, unknown> = {};
  return {
    async start() {
      const out = await authenticate(
        strategy,
        { query: {}, headers: {}, session },
        { scope: ['profile_nickname', 'account_email'] },
      );
      if (out.kind !== 'redirect') throw new Error(describeOutcome(out));
      return new URL(out.url);
    },
    async finish(callback) {
      const out = await authenticate(strategy, {
        query: Object.fromEntries(callback.searchParams),
        headers: {},
        session,
      });
      if (out.kind !== 'success') throw new Error(describeOutcome(out));
      const user = out.user as {
        accessToken: string;
        refreshToken?: string;
        params: Record<string, unknown>;
        profile: { id: number };
      };
      return {
        accessToken: user.accessToken,
        refreshToken: user.refreshToken,
        idToken: typeof user.params.id_token === 'string' ? user.params.id_token : undefined,
        raw: user.params,
      };
    },
    userMe(accessToken) {
      return new Promise((resolve, reject) =>
        strategy.userProfile(accessToken, (err, profile) => {
          if (err) reject(new Error(`userProfile: ${JSON.stringify(err)}`));
          else resolve((profile as { _json: Record<string, unknown> })._json);
        }),
      );
    },
    refresh(refreshToken) {
      // The usual way with passport (passport-oauth2-refresh does the same): node-oauth's
      // getOAuthAccessToken with grant_type=refresh_token.
      return new Promise<TokenSet>((resolve, reject) =>
        strategy.oauth2.getOAuthAccessToken(
          refreshToken,
          { grant_type: 'refresh_token' },
          (err, access, refresh, results) => {
            if (err || !access) reject(new Error(`refresh: ${JSON.stringify(err ?? results)}`));
            else resolve({ accessToken: access, refreshToken: refresh, raw: results ?? {} });
          },
        ),
      );
    },
  };
}

describe('passport-kakao 1 against yeon', () => {
  const yeon = yeonServer();
  kakaoAppScenario('secret on', yeon, { secret: true, oidc: false, makeClient: passportClient });
  kakaoAppScenario('secret off (client_secret=kakao, no PKCE)', yeon, {
    secret: false,
    oidc: false,
    makeClient: passportClient,
  });
});
