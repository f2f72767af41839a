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

function assertBudget(statements: string[], budget: number, what: string): void {
  assert.equal(
    statements.length,
    budget,
    `${what}: ${statements.length} statements, budget ${budget}:\n${describeStatements(statements)}`,
  );
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
});
