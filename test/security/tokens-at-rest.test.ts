/**
 * OAuth tokens, codes and sessions at rest (OWASP ASVS V3.5; RFC 9700 §4.14): after a real
 * authorization code flow, no value a client or a browser holds (code, access token, refresh token,
 * the oidc-provider session and interaction cookies) is found anywhere in `oidc_payloads` or
 * `oidc_refresh_replays`, and every one of them still works. Rows written before the upgrade are
 * converted by the migration and keep working too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { up as hashOidcPayloads } from '../../src/db/migrations/2026-12-06T0000_oidc_payload_hashes.ts';
import { storedKey } from '../../src/oidc/payload-at-rest.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  createClientApp,
  createPerson,
  finishInteraction,
  LOGOUT_URI,
  pkcePair,
  postForm,
  REDIRECT_URI,
} from '../oidc/engine-fixtures.ts';

const SESSION_COOKIE = 'yeon_op_session';
const INTERACTION_COOKIE = 'yeon_op_interaction';

type Db = Awaited<ReturnType<typeof buildTestApp>>['db'];

/** Every row of both tables, every column, as one text to search. */
async function tablesAsText(db: Db): Promise<string> {
  const payloads = await db.selectFrom('oidc_payloads').selectAll().execute();
  const replays = await db.selectFrom('oidc_refresh_replays').selectAll().execute();
  return JSON.stringify({ payloads, replays });
}

/**
 * The browser leg of an authorization, as authorizeThroughEngine does it, reading both tables at
 * every hop: an Interaction row and the login session exist only in the middle of the flow.
 */
async function authorize(
  app: FastifyInstance,
  db: Db,
  browser: Agent,
  clientId: string,
  appId: number,
  accountId: string,
) {
  const pair = pkcePair();
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'profile_nickname',
    state: 'st-1',
    code_challenge: pair.challenge,
    code_challenge_method: 'S256',
  });
  const snapshots: string[] = [];
  const heldValues = new Set<string>();
  let res = await browser.get(`/oauth/authorize?${query}`);
  for (let hop = 0; hop < 8; hop++) {
    for (const name of [SESSION_COOKIE, INTERACTION_COOKIE]) {
      const value = browser.cookies.get(name);
      if (value) heldValues.add(value);
    }
    snapshots.push(await tablesAsText(db));
    const interaction = /^\/oauth\/interaction\/([\w-]+)/.exec(String(res.headers.location ?? ''));
    if (!interaction) break;
    heldValues.add(interaction[1]!);
    await finishInteraction(app, interaction[1]!, { accountId, appId });
    snapshots.push(await tablesAsText(db));
    const details = await app.oidc.Interaction.find(interaction[1]!);
    res = await browser.get(new URL(details!.returnTo).pathname);
  }
  const location = new URL(String(res.headers.location));
  const code = location.searchParams.get('code');
  assert.ok(code, `no code: ${res.statusCode} ${res.headers.location}`);
  return { code, verifier: pair.verifier, snapshots, heldValues };
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app, db } = await buildTestApp(t);
  const client = await createClientApp(app);
  const person = await createPerson(app, '홍길동');
  const browser = new Agent(app);
  const flow = await authorize(app, db, browser, client.rest_api_key, client.app_id, person.id);
  const tokenRes = await postForm(app, '/oauth/token', {
    grant_type: 'authorization_code',
    client_id: client.rest_api_key,
    redirect_uri: REDIRECT_URI,
    code: flow.code,
    code_verifier: flow.verifier,
  });
  assert.equal(tokenRes.statusCode, 200, tokenRes.body);
  const { access_token: accessToken, refresh_token: refreshToken } = tokenRes.json();
  assert.ok(accessToken && refreshToken);
  const sessionCookie = browser.cookies.get(SESSION_COOKIE);
  assert.ok(sessionCookie, 'the browser holds an oidc-provider session');
  return { app, db, client, person, browser, flow, accessToken, refreshToken, sessionCookie };
}

const userMe = (app: FastifyInstance, accessToken: string) =>
  app.inject({ method: 'GET', url: '/v2/user/me', headers: { authorization: `Bearer ${accessToken}` } });

const refresh = (app: FastifyInstance, clientId: string, refreshToken: string) =>
  postForm(app, '/oauth/token', {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: refreshToken,
  });

/**
 * Kakao's logout (GET /oauth/logout) ends the oidc-provider session the browser's cookie names
 * (kakao-oauth.routes.ts `Session.get`): the row is found by the cookie value, so it is deleted.
 */
async function logoutEndsTheStoredSession(s: Awaited<ReturnType<typeof setup>>) {
  const sessions = () =>
    s.db.selectFrom('oidc_payloads').select('id').where('model', '=', 'Session').execute();
  assert.equal((await sessions()).length, 1);
  const query = new URLSearchParams({ client_id: s.client.rest_api_key, logout_redirect_uri: LOGOUT_URI });
  const res = await s.browser.get(`/oauth/logout?${query}`);
  assert.equal(res.statusCode, 302, res.body);
  assert.deepEqual(await sessions(), [], 'the session found by its cookie value is destroyed');
}

describe('OAuth tokens, codes and sessions at rest', () => {
  test('no code, token or session cookie value is stored, and each of them still works', async (t) => {
    const s = await setup(t);

    const refreshed = await refresh(s.app, s.client.rest_api_key, s.refreshToken);
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    const secrets = [
      s.flow.code,
      s.accessToken,
      s.refreshToken,
      s.sessionCookie,
      refreshed.json().access_token as string,
      ...s.flow.heldValues,
    ];
    assert.ok(s.flow.heldValues.size >= 2, 'the interaction and session cookies were seen');
    const snapshots = [...s.flow.snapshots, await tablesAsText(s.db)];
    assert.ok(
      snapshots.some((text) => text.includes('"Interaction"')),
      'an Interaction row was read',
    );
    assert.ok(snapshots.at(-1)!.includes('"replays":[{'), 'the refresh left a replay row');
    for (const text of snapshots) {
      for (const value of secrets) assert.ok(!text.includes(value), `a stored row contains ${value}`);
    }

    // the access tokens, the refresh token and the browser session still work
    for (const token of [s.accessToken, refreshed.json().access_token as string]) {
      const me = await userMe(s.app, token);
      assert.equal(me.statusCode, 200, me.body);
    }
    await logoutEndsTheStoredSession(s);
  });

  test('a stored hash is not a token: presenting the row id is refused', async (t) => {
    const s = await setup(t);
    const me = await userMe(s.app, storedKey(s.accessToken));
    assert.equal(me.statusCode, 401);
    const refused = await refresh(s.app, s.client.rest_api_key, storedKey(s.refreshToken));
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error, 'invalid_grant');
  });

  test('the migration converts rows stored with plain token values, and their tokens keep working', async (t) => {
    const s = await setup(t);
    const grantId = (await s.app.oidc.AccessToken.find(s.accessToken))!.grantId!;
    const session = await s.app.oidc.Session.find(s.sessionCookie);
    assert.ok(session);
    // Put the rows back as the adapter wrote them before: keyed by the value, `jti` in the payload.
    const plainValueOf = new Map(
      [s.accessToken, s.refreshToken, s.flow.code, s.sessionCookie, grantId].map((v) => [storedKey(v), v]),
    );
    const rows = await s.db.selectFrom('oidc_payloads').selectAll().execute();
    for (const row of rows) {
      const value = plainValueOf.get(row.id);
      assert.ok(value, `a ${row.model} row of the flow is one of the values collected`);
      await s.db
        .updateTable('oidc_payloads')
        .set({
          id: value,
          payload: JSON.stringify({ ...JSON.parse(row.payload), jti: value }),
          grant_id: row.grant_id === null ? null : grantId,
          uid: row.uid === null ? null : session.uid,
        })
        .where('model', '=', row.model)
        .where('id', '=', row.id)
        .execute();
    }
    assert.ok((await tablesAsText(s.db)).includes(s.accessToken), 'the rows are in the old form');
    assert.equal((await userMe(s.app, s.accessToken)).statusCode, 401, 'the new code reads only hashed rows');

    await s.db.transaction().execute((trx) => hashOidcPayloads(trx as never));

    const text = await tablesAsText(s.db);
    for (const value of [s.accessToken, s.refreshToken, s.flow.code, s.sessionCookie]) {
      assert.ok(!text.includes(value), `the migrated rows still contain ${value}`);
    }
    assert.equal((await userMe(s.app, s.accessToken)).statusCode, 200);
    const refreshed = await refresh(s.app, s.client.rest_api_key, s.refreshToken);
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    await logoutEndsTheStoredSession(s);
    // the code was consumed before the upgrade and stays consumed: a replay is refused
    const replay = await postForm(s.app, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: s.client.rest_api_key,
      redirect_uri: REDIRECT_URI,
      code: s.flow.code,
      code_verifier: s.flow.verifier,
    });
    assert.equal(replay.json().error, 'invalid_grant');
  });
});
