/**
 * Kakao's REST API reference, its own curl calls (kakao-rest-curl.sh, bash + curl), run against a
 * listening yeon with only the base URLs changed (KAUTH and KAPI both yeon's origin). Each answer
 * is checked for the shape the reference documents. The person's browser leg (Kakao's "Get
 * authorization code") is yeon's real login and consent pages, as in the other client tests.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { findAppUserId } from '../../src/modules/connections/connections.repo.ts';
import { startBrowserServer } from '../helpers/browser.ts';
import { createClientApp, createPerson, REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import { FetchBrowser } from './fetch-browser.ts';
import { ACCESS_TOKEN_TTL_S, signInThroughPages } from './kakao-scenario.ts';

const SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), 'kakao-rest-curl.sh');
const run = promisify(execFile);

type Body = Record<string, unknown>;

/** One step of the script: the body (JSON) and the HTTP status curl printed last. */
async function curl(step: string, env: Record<string, string>): Promise<{ status: number; body: Body }> {
  const { stdout } = await run('bash', [SCRIPT, step], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    body = { unparsed: text };
  }
  return { status, body };
}

function ok(answer: { status: number; body: Body }, what: string): Body {
  assert.equal(answer.status, 200, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Kakao's refusal of a dead token: 401, exactly `{"msg": string, "code": -401}`. */
function refused(answer: { status: number; body: Body }, what: string): void {
  assert.equal(answer.status, 401, `${what}: ${JSON.stringify(answer.body)}`);
  assert.deepEqual(Object.keys(answer.body).sort(), ['code', 'msg'], what);
  assert.equal(answer.body.code, -401, what);
  assert.equal(typeof answer.body.msg, 'string', what);
}

describe("Kakao's REST API reference curl calls against yeon (base URLs changed, nothing else)", () => {
  test('tokens, user info, token info, consents, logout, unlink (token and admin key), user list', async (t) => {
    const { app, db, baseUrl } = await startBrowserServer(t.after.bind(t));
    const client = await createClientApp(app, {
      client_secret_enabled: true,
      consent_items: [
        { item: 'profile_nickname', mode: 'required' },
        { item: 'account_email', mode: 'optional' },
      ],
    });
    const person = await createPerson(app, 'Curl Person');
    const browser = new FetchBrowser(baseUrl);
    const base = {
      KAUTH: baseUrl,
      KAPI: baseUrl,
      REST_API_KEY: client.rest_api_key,
      CLIENT_SECRET: client.client_secret,
      REDIRECT_URI,
      SERVICE_APP_ADMIN_KEY: client.admin_key,
    };

    /** Kakao "Get authorization code": the link an app puts on its login button, no PKCE. */
    const authorizeCode = async (): Promise<string> => {
      const url = new URL('/oauth/authorize', baseUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.rest_api_key,
        redirect_uri: REDIRECT_URI,
      }).toString();
      const back = await signInThroughPages(browser, url, person);
      const code = back.searchParams.get('code');
      assert.ok(code, `no code: ${back}`);
      return code;
    };

    // Get tokens
    const tokens = ok(await curl('token', { ...base, AUTHORIZE_CODE: await authorizeCode() }), 'token');
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(tokens.expires_in, ACCESS_TOKEN_TTL_S);
    assert.equal(typeof tokens.refresh_token, 'string');
    assert.equal(typeof tokens.refresh_token_expires_in, 'number');
    assert.equal(typeof tokens.scope, 'string');
    // the app has OpenID Connect on (the default): Kakao adds an ID token to the code exchange
    assert.equal(typeof tokens.id_token, 'string', `id_token for an OIDC app: ${JSON.stringify(tokens)}`);
    const userId = Number(await findAppUserId(db, client.app_id, person.id));

    // Refresh tokens: a new access token; refresh_token only when less than a month is left
    const refreshed = ok(
      await curl('refresh', { ...base, REFRESH_TOKEN: String(tokens.refresh_token) }),
      'refresh',
    );
    assert.equal(refreshed.token_type, 'bearer');
    assert.equal(typeof refreshed.access_token, 'string');
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.expires_in, ACCESS_TOKEN_TTL_S);
    assert.equal(refreshed.refresh_token, undefined);
    const access = { ...base, ACCESS_TOKEN: String(refreshed.access_token) };

    // Retrieve user information, GET and POST
    for (const step of ['me', 'me-post']) {
      const me = ok(await curl(step, access), step);
      assert.equal(me.id, userId, `${step}: id is the user id, a number`);
      assert.equal(typeof me.connected_at, 'string', step);
      assert.equal((me.properties as Body | undefined)?.nickname, 'Curl Person', step);
      const account = me.kakao_account as Body;
      assert.equal((account.profile as Body | undefined)?.nickname, 'Curl Person', step);
      assert.equal(account.email, person.email, step);
      assert.equal(account.email_needs_agreement, false, step);
    }
    // …with property_keys=["kakao_account.email"]: the email alone (Kakao: "Retrieve user
    // information", property_keys), nothing of the profile
    for (const step of ['me-email', 'me-post-email']) {
      const me = ok(await curl(step, access), step);
      assert.equal(me.id, userId, step);
      const account = me.kakao_account as Body;
      assert.equal(account.email, person.email, step);
      assert.equal(account.profile, undefined, `${step}: ${JSON.stringify(me)}`);
      assert.equal(me.properties, undefined, `${step}: ${JSON.stringify(me)}`);
    }

    // Retrieve token information
    const info = ok(await curl('token-info', access), 'token-info');
    assert.equal(info.id, userId);
    assert.equal(info.app_id, client.app_id);
    assert.ok(Number(info.expires_in) > 0 && Number(info.expires_in) <= ACCESS_TOKEN_TTL_S);

    // Retrieve consent details
    const scopes = ok(await curl('scopes', access), 'scopes');
    assert.equal(scopes.id, userId);
    const list = scopes.scopes as Body[];
    const byId = new Map(list.map((s) => [s.id, s]));
    for (const s of list) {
      for (const key of ['id', 'display_name', 'type', 'using', 'agreed', 'revocable'])
        assert.ok(key in s, `scope ${String(s.id)} has ${key}`);
    }
    assert.equal(byId.get('profile_nickname')?.agreed, true);
    assert.equal(byId.get('profile_nickname')?.revocable, false, 'a required item cannot be revoked');
    assert.equal(byId.get('account_email')?.agreed, true);
    assert.equal(byId.get('account_email')?.revocable, true);

    // Revoke consent (account_email, optional): the answer lists it as no longer agreed
    const revoked = ok(await curl('revoke-scopes', access), 'revoke-scopes');
    assert.equal(revoked.id, userId);
    const email = (revoked.scopes as Body[]).find((s) => s.id === 'account_email');
    assert.equal(email?.agreed, false);
    const meAfter = ok(await curl('me', access), 'me after revoke');
    assert.equal((meAfter.kakao_account as Body).email, undefined, 'no email once its consent is revoked');

    // Retrieve user list (admin key)
    const ids = ok(await curl('ids', base), 'ids');
    assert.ok(
      Array.isArray(ids.elements) && (ids.elements as unknown[]).includes(userId),
      JSON.stringify(ids),
    );
    assert.ok('before_url' in ids && 'after_url' in ids, JSON.stringify(ids));

    // Logout: {id}; the token is refused afterwards
    assert.deepEqual(ok(await curl('logout', access), 'logout'), { id: userId });
    refused(await curl('me', access), 'me after logout');

    // Unlink with the admin key and the user's ID
    const second = ok(await curl('token', { ...base, AUTHORIZE_CODE: await authorizeCode() }), 'token (2)');
    const access2 = { ...base, ACCESS_TOKEN: String(second.access_token) };
    ok(await curl('me', access2), 'me (2)');
    assert.deepEqual(ok(await curl('unlink-admin', { ...base, USER_ID: String(userId) }), 'unlink-admin'), {
      id: userId,
    });
    refused(await curl('me', access2), 'me after unlink by admin key');
    const idsAfter = ok(await curl('ids', base), 'ids after unlink');
    assert.ok(!(idsAfter.elements as unknown[]).includes(userId), JSON.stringify(idsAfter));

    // Unlink with the access token, after the person links the app again
    const third = ok(await curl('token', { ...base, AUTHORIZE_CODE: await authorizeCode() }), 'token (3)');
    const access3 = { ...base, ACCESS_TOKEN: String(third.access_token) };
    const me3 = ok(await curl('me', access3), 'me (3)');
    assert.deepEqual(ok(await curl('unlink', access3), 'unlink'), { id: me3.id });
    refused(await curl('me', access3), 'me after unlink');
    refused(await curl('unlink', access3), 'a second unlink with the same token');
  });

  test('a secret-off app: the same token and refresh calls, without client_secret and without PKCE', async (t) => {
    const { app, db, baseUrl } = await startBrowserServer(t.after.bind(t));
    const client = await createClientApp(app, { client_secret_enabled: false });
    const person = await createPerson(app, 'Curl Public');
    const base = { KAUTH: baseUrl, KAPI: baseUrl, REST_API_KEY: client.rest_api_key, REDIRECT_URI };
    const url = new URL('/oauth/authorize', baseUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.rest_api_key,
      redirect_uri: REDIRECT_URI,
      scope: 'profile_nickname,account_email',
    }).toString();
    const back = await signInThroughPages(new FetchBrowser(baseUrl), url, person);
    assert.equal(back.searchParams.get('error'), null, `authorize refused: ${back}`);
    const code = back.searchParams.get('code');
    assert.ok(code, `no code: ${back}`);

    const tokens = ok(await curl('token', { ...base, AUTHORIZE_CODE: code }), 'token');
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, ACCESS_TOKEN_TTL_S);
    assert.equal(typeof tokens.refresh_token, 'string');
    const refreshed = ok(
      await curl('refresh', { ...base, REFRESH_TOKEN: String(tokens.refresh_token) }),
      'refresh',
    );
    assert.equal(typeof refreshed.access_token, 'string');
    const me = ok(await curl('me', { ...base, ACCESS_TOKEN: String(refreshed.access_token) }), 'me');
    assert.equal(me.id, Number(await findAppUserId(db, client.app_id, person.id)));
  });
});
