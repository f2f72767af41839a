/**
 * The Bearer caller's single read (src/kakao/user-me-reads.ts) keeps every guarantee of the
 * separate reads it replaced: each part is read live, so whatever stops a token stops it on the
 * very next request. The rows are changed directly where a service would also delete the token,
 * so that each join is what refuses.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kapi, setup } from '../kakao/helpers.ts';

const HOUR_MS = 3_600_000;

describe('a Bearer token read in one statement still stops at once', () => {
  test('an access token past its lifetime is refused with -401', async (t) => {
    const { app, token } = await setup(t);
    assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer: token })).statusCode, 200);
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    t.mock.timers.tick(13 * HOUR_MS); // Kakao access tokens live 12 hours
    const res = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().code, -401);
  });

  test('a link no longer live refuses the token, even while its row survives', async (t) => {
    const { app, db, token, person } = await setup(t);
    await db
      .updateTable('connections')
      .set({ status: 'unlinked' })
      .where('account_id', '=', person.id)
      .execute();
    const res = await kapi(app, 'GET', '/v1/user/access_token_info', { bearer: token });
    assert.equal(res.statusCode, 401, res.body);
  });

  test('a stopped client key refuses the tokens issued to it', async (t) => {
    const { app, db, token, client } = await setup(t);
    await db
      .updateTable('app_keys')
      .set({ revoked_at: Date.now() })
      .where('key', '=', client.rest_api_key)
      .execute();
    const res = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(res.statusCode, 401, res.body);
  });

  test('a withdrawn item leaves the next answer', async (t) => {
    const { app, token, person, client } = await setup(t);
    const before = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.equal(before.kakao_account.email, person.email);
    await app.services.connections.withdraw({
      accountId: person.id,
      appId: client.app_id,
      item: 'account_email',
    });
    const after = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(after.statusCode, 200, after.body);
    assert.equal('email' in after.json().kakao_account, false);
  });
});
