/**
 * A token request's writes commit together or not at all (src/oidc/token-transaction.ts). A refresh
 * that renews the refresh token writes four things: the grace claim, the old refresh token
 * consumed, the new refresh and access tokens, and the answer kept for a repeat. A failure after
 * some of them must leave none behind: a consumed refresh token without its successor would make
 * the client's retry a replay and revoke the whole family (RFC 9700 §4.14.2).
 *
 * The failure is injected with a trigger on the lane's database, once where oidc-provider catches
 * it and answers 500 itself (the new access token's insert), once after oidc-provider has answered
 * (the kept answer's update).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { TEST_DB } from '../helpers/test-db.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  postForm,
  REDIRECT_URI,
} from './engine-fixtures.ts';

const DAY_MS = 86_400_000;

type Where = 'access token insert' | 'kept answer update';

async function failAt(db: Db, where: Where): Promise<void> {
  const [table, event, when] =
    where === 'access token insert'
      ? ['oidc_payloads', 'INSERT', `NEW.model = 'AccessToken'`]
      : ['oidc_refresh_replays', 'UPDATE', 'true'];
  if (TEST_DB === 'sqlite') {
    await sql
      .raw(
        `CREATE TRIGGER injected_failure BEFORE ${event} ON ${table} WHEN ${when}
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
      )
      .execute(db);
    return;
  }
  await sql
    .raw(
      `CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF ${when} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER injected_failure BEFORE ${event} ON ${table}
       FOR EACH ROW EXECUTE FUNCTION injected_failure()`,
    )
    .execute(db);
}

async function healed(db: Db, where: Where): Promise<void> {
  const table = where === 'access token insert' ? 'oidc_payloads' : 'oidc_refresh_replays';
  if (TEST_DB === 'sqlite') await sql.raw('DROP TRIGGER injected_failure').execute(db);
  else await sql.raw(`DROP TRIGGER injected_failure ON ${table}`).execute(db);
}

/** Every stored OAuth row and grace row, as (model, id, consumed) and (token hash, answer?). */
async function snapshot(db: Db) {
  const payloads = await db
    .selectFrom('oidc_payloads')
    .select(['model', 'id', 'consumed_at'])
    .orderBy('model')
    .orderBy('id')
    .execute();
  const replays = await db.selectFrom('oidc_refresh_replays').select(['token_hash', 'answer']).execute();
  return { payloads, replays };
}

describe('a token request commits its writes together', () => {
  for (const where of ['access token insert', 'kept answer update'] as const) {
    test(`a renewing refresh that fails at the ${where} leaves nothing written, and its retry succeeds`, async (t) => {
      const { app, db } = await buildTestApp(t);
      const client = await createClientApp(app, { client_secret_enabled: true });
      const person = await createPerson(app);
      const flow = await authorizeThroughEngine(app, {
        clientId: client.rest_api_key,
        appId: client.app_id,
        accountId: person.id,
        scope: 'openid,profile_nickname',
      });
      const exchange = await postForm(app, '/oauth/token', {
        grant_type: 'authorization_code',
        client_id: client.rest_api_key,
        client_secret: client.client_secret,
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
      });
      assert.equal(exchange.statusCode, 200, exchange.body);
      const refreshToken = String(exchange.json().refresh_token);
      const refresh = () =>
        postForm(app, '/oauth/token', {
          grant_type: 'refresh_token',
          client_id: client.rest_api_key,
          client_secret: client.client_secret,
          refresh_token: refreshToken,
        });

      t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      t.mock.timers.tick(31 * DAY_MS); // 29 days left: this refresh consumes it and issues a new one
      const before = await snapshot(db);
      await failAt(db, where);
      const failed = await refresh();
      assert.ok(failed.statusCode >= 500, `${failed.statusCode} ${failed.body}`);
      assert.equal(failed.json().refresh_token, undefined, 'no token handed out');
      assert.deepEqual(await snapshot(db), before, 'no claim, no consumed token, no new token left behind');

      await healed(db, where);
      const retry = await refresh();
      assert.equal(retry.statusCode, 200, `the retry is no replay: ${retry.body}`);
      const renewed = String(retry.json().refresh_token);
      assert.ok(renewed && renewed !== refreshToken, 'renewed');
      const me = await app.inject({
        url: '/v2/user/me',
        headers: { authorization: `Bearer ${retry.json().access_token}` },
      });
      assert.equal(me.statusCode, 200, me.body);
    });
  }
});
