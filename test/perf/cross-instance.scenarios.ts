/**
 * The cross-instance scenarios: warm both instances' caches, change something through A, and ask
 * B at once. No waiting anywhere: "at once" is the very next request.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { cachedCount } from '../../src/modules/apps/app-metadata-cache.ts';
import { noteSuccess } from '../../src/modules/notifications/delivery.repo.ts';
import { findAppForClient } from '../../src/oidc/clients.ts';
import { TEST_DB } from '../helpers/test-db.ts';
import { kapi } from '../kakao/helpers.ts';
import {
  clientOn,
  linkedPerson,
  meOn,
  ownerOf,
  tokenErrorOn,
  twoInstances,
} from './cross-instance.fixtures.ts';

async function epochOf(db: Parameters<typeof findAppForClient>[0]): Promise<number> {
  const row = await db
    .selectFrom('revocation_epoch')
    .select('epoch')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.epoch);
}

export function crossInstanceScenarios(): void {
  test('an unlink on A: the token fails on B at the next request', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client, token, appUserId } = await linkedPerson(a);
    assert.equal((await meOn(b, token)).statusCode, 200);
    assert.equal((await meOn(a, token)).statusCode, 200);
    assert.ok(await clientOn(b, client.rest_api_key), 'B knows the client (warm)');

    const unlinked = await kapi(
      a.app,
      'POST',
      '/v1/user/unlink',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_id: String(appUserId),
      },
    );
    assert.equal(unlinked.statusCode, 200, unlinked.body);

    const after = await meOn(b, token);
    assert.equal(after.statusCode, 401, after.body);
    assert.equal(after.json().code, -401);
  });

  test('a REST API key reissued and stopped on A: B refuses the old key at once', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client } = await linkedPerson(a);
    const oldKey = client.rest_api_key;
    assert.equal(await tokenErrorOn(b, client, oldKey), 'invalid_grant', 'B knows the key (warm)');
    assert.equal(cachedCount(b.db, 'client'), 1);

    const rotated = await a.app.services.apps.rotateAppKey(ownerOf(client), client.app_id, {
      kind: 'rest_api',
      overlap: '24h',
    });
    // In its overlap the old key still works everywhere; the new one works at once on B.
    assert.equal(await tokenErrorOn(b, client, oldKey), 'invalid_grant');
    assert.equal(await tokenErrorOn(b, client, rotated.key), 'invalid_grant');

    const keys = await a.app.services.apps.listAppKeys(ownerOf(client), client.app_id);
    const previous = keys.find((k) => k.key === oldKey);
    assert.ok(previous?.expires_at);
    await a.app.services.apps.stopPreviousKey(ownerOf(client), client.app_id, previous.id);

    assert.equal(await tokenErrorOn(b, client, oldKey), 'invalid_client');
    assert.equal(await clientOn(b, oldKey), undefined);
    assert.equal(await tokenErrorOn(b, client, rotated.key), 'invalid_grant');
  });

  test('a key whose overlap ends by the clock alone: B refuses it with nothing written', async (t) => {
    const { a, b, clock } = await twoInstances(t);
    const { client } = await linkedPerson(a);
    const oldKey = client.rest_api_key;
    await a.app.services.apps.rotateAppKey(ownerOf(client), client.app_id, {
      kind: 'rest_api',
      overlap: '1h',
    });
    assert.ok(await clientOn(b, oldKey), 'B caches the old key in its overlap');
    const epoch = await epochOf(b.db);

    clock.advance(3_600_000);
    assert.equal(await epochOf(b.db), epoch, 'the end of an overlap writes nothing');
    assert.equal(await clientOn(b, oldKey), undefined);
    assert.equal(await tokenErrorOn(b, client, oldKey), 'invalid_client');
  });

  test('an admin key reissued with no overlap on A: B refuses the old one at once', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client, appUserId } = await linkedPerson(a);
    const params = { target_id_type: 'user_id', target_id: String(appUserId) };
    assert.equal(
      (await kapi(b.app, 'GET', '/v2/user/me', { kakaoAK: client.admin_key }, params)).statusCode,
      200,
    );

    await a.app.services.apps.rotateAppKey(ownerOf(client), client.app_id, { kind: 'admin', overlap: 'now' });

    const after = await kapi(b.app, 'GET', '/v2/user/me', { kakaoAK: client.admin_key }, params);
    assert.equal(after.statusCode, 401, after.body);
  });

  test('consent items changed on A: /v2/user/me on B reflects them at once', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client, token } = await linkedPerson(a);
    const before = (await meOn(b, token)).json();
    assert.ok(before.kakao_account?.email, 'the email is shown while the item is on');

    await a.app.services.apps.updateConsentItems(ownerOf(client), client.app_id, [
      { item: 'account_email', mode: 'off' },
    ]);

    const after = await meOn(b, token);
    assert.equal(after.statusCode, 200, after.body);
    assert.equal(after.json().kakao_account?.email, undefined);
  });

  test('Kakao Login turned off and redirect URIs changed on A: B follows at once', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client } = await linkedPerson(a);
    const warm = await findAppForClient(b.db, client.rest_api_key);
    assert.deepEqual(warm?.redirectUris, ['https://rp.example/callback']);

    // Any writer, the CLI or a console on another instance: the epoch moves in its transaction.
    await a.db
      .updateTable('app_redirect_uris')
      .set({ uri: 'https://rp.example/other' })
      .where('app_id', '=', client.app_id)
      .execute();
    assert.deepEqual((await findAppForClient(b.db, client.rest_api_key))?.redirectUris, [
      'https://rp.example/other',
    ]);

    await a.db.updateTable('apps').set({ kakao_login_enabled: 0 }).where('id', '=', client.app_id).execute();
    assert.equal(await clientOn(b, client.rest_api_key), undefined);

    await a.db.deleteFrom('apps').where('id', '=', client.app_id).execute();
    assert.equal(await findAppForClient(b.db, client.rest_api_key), undefined);
  });

  test('an app deleted on A: B refuses every one of its keys at once', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client, token } = await linkedPerson(a);
    assert.ok(await clientOn(b, client.rest_api_key));
    assert.ok(await findAppForClient(b.db, client.javascript_key));
    assert.equal((await meOn(b, token)).statusCode, 200);

    await a.app.services.apps.deleteApp(ownerOf(client), client.app_id);

    assert.equal(await clientOn(b, client.rest_api_key), undefined);
    assert.equal(await findAppForClient(b.db, client.javascript_key), undefined);
    assert.equal((await meOn(b, token)).statusCode, 401);
  });

  test('a warm entry is served after one epoch read; delivery bookkeeping does not move the epoch', async (t) => {
    const { a, b } = await twoInstances(t);
    const { client } = await linkedPerson(a);
    await a.app.services.apps.setClientSecretEnabled(ownerOf(client), client.app_id, true);
    const warm = await findAppForClient(b.db, client.rest_api_key);
    assert.equal(warm?.app.client_secret, client.client_secret, 'the sealed secret is opened per use');
    const epoch = await epochOf(b.db);
    await noteSuccess(a.db, client.app_id, Date.now());
    await a.db
      .updateTable('apps')
      .set({ description: 'not client metadata' })
      .where('id', '=', client.app_id)
      .execute();
    assert.equal(await epochOf(b.db), epoch, 'columns no client is built from leave the epoch alone');

    // A writer that put the epoch back behind the triggers' backs: B keeps serving what it cached,
    // which shows the entry really comes from memory, and why every writer must move the epoch.
    await a.db.transaction().execute(async (trx) => {
      if (TEST_DB === 'postgres') await sql`set constraints all immediate`.execute(trx);
      await trx.updateTable('apps').set({ name: 'Renamed' }).where('id', '=', client.app_id).execute();
      await trx.updateTable('revocation_epoch').set({ epoch }).where('id', '=', 1).execute();
    });
    const served = await findAppForClient(b.db, client.rest_api_key);
    assert.equal(served?.app.name, 'Kakao API App');
    assert.equal(served?.app.client_secret, client.client_secret);
    assert.equal(cachedCount(b.db, 'client'), 1);
    assert.equal(await findAppForClient(b.db, 'no-such-key'), undefined);
    assert.equal(cachedCount(b.db, 'client'), 1, 'an unknown key is not remembered');
  });
}
