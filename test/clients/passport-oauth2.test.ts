/**
 * A client no one here wrote: passport-oauth2 configured the way passport-kakao
 * configures it (Kakao's endpoints, comma scope separator, profile from /v2/user/me fetched by
 * node-oauth with `?access_token=` in the query) completes a login against a listening yeon and
 * reads the profile. Passport is driven without Express: the strategy's redirect/success/fail
 * actions are captured, as passport's own tests do.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OAuth2Strategy from 'passport-oauth2';
import { findAppUserId } from '../../src/modules/connections/connections.repo.ts';
import { startBrowserServer } from '../helpers/browser.ts';
import { createClientApp, createPerson, REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import { FetchBrowser } from './fetch-browser.ts';

type Outcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: Record<string, unknown>; info: unknown }
  | { kind: 'fail'; info: unknown }
  | { kind: 'error'; err: Error };

/** Runs one `authenticate` call and resolves with what the strategy decided. */
function run(strategy: OAuth2Strategy, req: Record<string, unknown>, options = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = Object.create(strategy) as OAuth2Strategy & Record<string, unknown>;
    s.redirect = (url: string) => resolve({ kind: 'redirect', url });
    s.success = (user: Record<string, unknown>, info: unknown) => resolve({ kind: 'success', user, info });
    s.fail = (info: unknown) => resolve({ kind: 'fail', info });
    s.error = (err: Error) => resolve({ kind: 'error', err });
    s.authenticate(req as never, options);
  });
}

describe('passport-oauth2 with Kakao endpoints against yeon', () => {
  test('login: authorize (comma scopes) → real login and consent pages → token → /v2/user/me profile', async (t) => {
    const { app, db, baseUrl } = await startBrowserServer(t.after.bind(t));
    const client = await createClientApp(app, { client_secret_enabled: true });
    const person = await createPerson(app, 'Passport Person');

    const strategy = new OAuth2Strategy(
      {
        authorizationURL: `${baseUrl}/oauth/authorize`,
        tokenURL: `${baseUrl}/oauth/token`,
        clientID: client.rest_api_key,
        clientSecret: client.client_secret,
        callbackURL: REDIRECT_URI,
        scopeSeparator: ',',
        customHeaders: { 'User-Agent': 'passport-kakao' },
      },
      (
        accessToken: string,
        refreshToken: string,
        params: unknown,
        profile: unknown,
        done: (err: Error | null, user?: object) => void,
      ) => done(null, { accessToken, refreshToken, params, profile }),
    );
    // passport-kakao's userProfile: node-oauth GET with the token in the query string
    strategy.userProfile = function userProfile(accessToken, done) {
      (
        this as unknown as {
          _oauth2: { get: (url: string, token: string, cb: (err: unknown, body: string) => void) => void };
        }
      )._oauth2.get(`${baseUrl}/v2/user/me`, accessToken, (err: unknown, body: string) => {
        if (err) return done(new Error(`profile: ${JSON.stringify(err)}`));
        const json = JSON.parse(body);
        return done(null, {
          provider: 'kakao',
          id: json.id,
          username: json.properties?.nickname,
          displayName: json.properties?.nickname,
          _json: json,
        });
      });
    };

    const start = await run(
      strategy,
      { query: {}, headers: {} },
      { scope: ['profile_nickname', 'account_email'] },
    );
    assert.equal(start.kind, 'redirect');
    const authorize = new URL((start as { url: string }).url);
    assert.equal(authorize.searchParams.get('scope'), 'profile_nickname,account_email');

    const browser = new FetchBrowser(baseUrl);
    await browser.follow(authorize.toString());
    await browser.submit('/login', [
      ['email', person.email],
      ['password', 'correct horse battery'],
    ]);
    const back = await browser.submit('/consent', [['action', 'agree_all']]);
    assert.equal(back.url.origin + back.url.pathname, REDIRECT_URI, `ended at ${back.url}`);
    const code = back.url.searchParams.get('code');
    assert.ok(code);

    const done = await run(strategy, { query: { code }, headers: {} });
    assert.equal(
      done.kind,
      'success',
      JSON.stringify(done, (_k, v) => (v instanceof Error ? v.message : v)),
    );
    // biome-ignore lint/suspicious/noExplicitAny: the profile is whatever /v2/user/me answered
    const user = (done as { user: Record<string, any> }).user;
    const appUserId = await findAppUserId(db, client.app_id, person.id);
    assert.equal(user.profile.id, appUserId, 'id is the app user id, a JSON number');
    assert.equal(user.profile.username, 'Passport Person');
    assert.equal(user.profile._json.kakao_account.email, person.email);
    assert.equal(user.params.token_type, 'bearer');
    assert.equal(user.params.expires_in, 43199);
    assert.ok(user.refreshToken);
  });
});
