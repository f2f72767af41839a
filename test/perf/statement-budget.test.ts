/**
 * Statement budgets of the hot paths (bench/README.md parts 1 and 3): how many SQL statements one
 * request runs, counted, never timed. On PostgreSQL every statement is a round trip and on SQLite
 * each takes its own lock, so a statement added here costs every request; raising a budget must be
 * a decision, written next to the list of what each statement is.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { describeStatements, recordStatements } from '../helpers/statement-budget.ts';
import {
  createKakaoApp,
  createPerson as createKakaoPerson,
  kapi,
  link,
  mintAccessToken,
} from '../kakao/helpers.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  postForm,
  REDIRECT_URI,
} from '../oidc/engine-fixtures.ts';

function assertBudget(statements: string[], budget: number, what: string): void {
  assert.equal(
    statements.length,
    budget,
    `${what}: ${statements.length} statements, budget ${budget}:\n${describeStatements(statements)}`,
  );
}

/**
 * The token endpoint's writes commit together (src/oidc/token-transaction.ts): exactly one
 * BEGIN/COMMIT pair, and every write (insert, update, delete) between the two.
 */
function assertOneTransaction(statements: string[], what: string): void {
  const kinds = statements.map((sql) => sql.trim().split(/\s+/)[0]!.toLowerCase());
  const begins = kinds.flatMap((k, i) => (k === 'begin' ? [i] : []));
  const commits = kinds.flatMap((k, i) => (k === 'commit' ? [i] : []));
  const listing = describeStatements(statements);
  assert.equal(begins.length, 1, `${what}: one BEGIN:\n${listing}`);
  assert.equal(commits.length, 1, `${what}: one COMMIT:\n${listing}`);
  const writes = kinds.flatMap((k, i) => (['insert', 'update', 'delete'].includes(k) ? [i] : []));
  assert.ok(writes.length > 0, `${what}: writes:\n${listing}`);
  for (const i of writes) {
    assert.ok(
      begins[0]! < i && i < commits[0]!,
      `${what}: write ${i + 1} outside the transaction:\n${listing}`,
    );
  }
}

async function bearerSetup(t: TestContext) {
  const recorder = recordStatements(t);
  const { app } = await buildTestApp(t);
  const client = await createKakaoApp(app);
  const person = await createKakaoPerson(app);
  await link(app, person.id, client, ['profile_nickname', 'account_email']);
  const token = await mintAccessToken(app, person.id, client);
  const set = await kapi(
    app,
    'POST',
    '/v1/user/update_profile',
    { bearer: token },
    { properties: '{"a":"1"}' },
  );
  assert.equal(set.statusCode, 200, set.body);
  return { app, recorder, token, person };
}

describe('statement budgets of the hot paths', () => {
  test('GET /v2/user/me with a Bearer token runs one statement', async (t) => {
    const { app, recorder, token, person } = await bearerSetup(t);
    const { result, statements } = await recorder.during(() =>
      kapi(app, 'GET', '/v2/user/me', { bearer: token }),
    );
    assert.equal(result.statusCode, 200, result.body);
    assert.equal(result.json().kakao_account.email, person.email);
    assert.deepEqual(result.json().properties, { a: '1', nickname: 'Person' });
    // 1. the token, its app's live client key, the live link, the account, the offered items with
    //    their live agreements and the custom properties (src/kakao/user-me-reads.ts)
    assertBudget(statements, 1, 'GET /v2/user/me');
  });

  test('a /v1/user API with a Bearer token finds its caller in one statement', async (t) => {
    const { app, recorder, token } = await bearerSetup(t);
    const { result, statements } = await recorder.during(() =>
      kapi(app, 'GET', '/v1/user/access_token_info', { bearer: token }),
    );
    assert.equal(result.statusCode, 200, result.body);
    // 1. the same read as /v2/user/me (src/kakao/user-me-reads.ts); the route reads nothing else
    assertBudget(statements, 1, 'GET /v1/user/access_token_info');
  });

  test('a refused Bearer token costs the same one statement', async (t) => {
    const { app, recorder } = await bearerSetup(t);
    const { result, statements } = await recorder.during(() =>
      kapi(app, 'GET', '/v2/user/me', { bearer: 'not-a-token' }),
    );
    assert.equal(result.statusCode, 401, result.body);
    assertBudget(statements, 1, 'GET /v2/user/me, unknown token');
  });

  test('a code exchange runs nine statements, a refresh grant eight, each with its writes in one transaction, and OIDC userinfo three', async (t) => {
    const recorder = recordStatements(t);
    const { app } = await buildTestApp(t);
    const client = await createClientApp(app, { client_secret_enabled: true });
    const person = await createPerson(app);
    const flow = await authorizeThroughEngine(app, {
      clientId: client.rest_api_key,
      appId: client.app_id,
      accountId: person.id,
      scope: 'openid,profile_nickname',
    });
    const credentials = { client_id: client.rest_api_key, client_secret: client.client_secret };
    const exchange = await recorder.during(() =>
      postForm(app, '/oauth/token', {
        ...credentials,
        grant_type: 'authorization_code',
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
      }),
    );
    assert.equal(exchange.result.statusCode, 200, exchange.result.body);
    assert.ok(exchange.result.json().id_token);
    // 1. the client's app metadata is served from memory while the revocation epoch is unchanged
    //    (clients.ts): the epoch
    // 2. the client the code was issued to, for the Kakao layer's request rewrite (kakao-layer.ts)
    // 3. BEGIN: the request's writes commit together (token-transaction.ts)
    // 4. the authorization code with its grant (kysely-adapter.ts findTokenWithGrant)
    // 5. consuming the code, conditionally (a lost race is a replay)
    // 6. the account at the app: profile, app user id (`sub`), the app's items and the live
    //    agreements (find-account.ts accountAtApp), for the ID token, `sub` and the live scope
    // 7. the new access token; 8. the new refresh token; 9. COMMIT
    assertBudget(exchange.statements, 9, 'code exchange');
    assertOneTransaction(exchange.statements, 'code exchange');

    const refresh = await recorder.during(() =>
      postForm(app, '/oauth/token', {
        ...credentials,
        grant_type: 'refresh_token',
        refresh_token: String(exchange.result.json().refresh_token),
      }),
    );
    assert.equal(refresh.result.statusCode, 200, refresh.result.body);
    assert.ok(refresh.result.json().id_token);
    // 1. the revocation epoch (the client, as above)
    // 2. BEGIN: the claim, the new token and the kept answer commit together
    // 3. the refresh grace window's claim (refresh-grace.ts)
    // 4. the refresh token with its grant
    // 5. the account at the app, as in the exchange (find-account.ts accountAtApp)
    // 6. the new access token (the refresh token has more than 30 days left: not rotated)
    // 7. the answer kept for a repeat within the grace window; 8. COMMIT
    assertBudget(refresh.statements, 8, 'refresh grant');
    assertOneTransaction(refresh.statements, 'refresh grant');

    const accessToken = String(refresh.result.json().access_token);
    const userinfo = await recorder.during(() =>
      app.inject({
        method: 'GET',
        url: '/v1/oidc/userinfo',
        headers: { authorization: `Bearer ${accessToken}` },
      }),
    );
    assert.equal(userinfo.result.statusCode, 200, userinfo.result.body);
    assert.equal(userinfo.result.json().nickname, 'Person');
    // 1. the access token with its grant (kysely-adapter.ts findTokenWithGrant)
    // 2. the revocation epoch (the client, as above)
    // 3. the account at the app, its `sub` and live agreements (find-account.ts accountAtApp)
    assertBudget(userinfo.statements, 3, 'OIDC userinfo');
  });
});
