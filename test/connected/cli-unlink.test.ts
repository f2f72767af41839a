/**
 * `yeon unlink --account EMAIL --app APP_ID` as a real process on the lane's database:
 * an UNLINK_FROM_ADMIN notification for an app with a callback, none for an app without, tokens
 * revoked; unknown accounts and links fail with one clear line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { laneEnv, run } from '../cli/cli-process.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { mintAccessToken } from '../kakao/helpers.ts';
import { createDeveloperApp, notificationsOf, oauthRows, PASSWORD } from './fixtures.ts';

describe('yeon unlink', () => {
  it('unlinks one app for one account with UNLINK_FROM_ADMIN, prints JSON, and refuses what it cannot do', async (t) => {
    const lane = await laneEnv(t);
    const migrated = await run(['migrate'], lane.env);
    assert.equal(migrated.code, 0, migrated.stderr);
    const config = { ...loadConfig({ YEON_ENV: 'test' }), database: lane.testDb.config };
    const db = createDb(config.database);
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
    lane.beforeDrop(async () => {
      await app.close();
      await db.destroy();
    });
    await app.ready();
    const owner = await app.services.accounts.signUp({
      email: 'dev@example.com',
      password: PASSWORD,
      nickname: 'Dev',
    });
    const person = await app.services.accounts.signUp({
      email: 'Person@Example.com',
      password: PASSWORD,
      nickname: 'P',
    });
    const withCallback = await createDeveloperApp(app, owner.id, {
      name: 'Callback Shop',
      unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
    });
    const quiet = await createDeveloperApp(app, owner.id, { name: 'Quiet Shop' });
    const items = ['profile_nickname'];
    const link = await app.services.connections.agree({
      accountId: person.id,
      appId: withCallback.app_id,
      items,
    });
    await app.services.connections.agree({ accountId: person.id, appId: quiet.app_id, items });
    await mintAccessToken(app, person.id, withCallback, 'profile_nickname');

    const res = await run(
      ['unlink', '--account', 'person@example.com', '--app', String(withCallback.app_id), '--json'],
      lane.env,
    );
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    assert.equal(out.account_id, person.id);
    assert.equal(out.app_id, withCallback.app_id);
    assert.equal(out.app_user_id, link.appUserId);
    assert.equal(out.referrer_type, 'UNLINK_FROM_ADMIN');
    const rows = await notificationsOf(db, withCallback.app_id);
    assert.deepEqual(
      rows.map((r) => [r.id, r.referrer_type, r.app_user_id]),
      [[out.notification_id, 'UNLINK_FROM_ADMIN', link.appUserId]],
    );
    assert.deepEqual(await oauthRows(db, person.id, withCallback.rest_api_key), []);
    assert.equal(await app.services.connections.getLive(person.id, withCallback.app_id), undefined);

    const plain = await run(
      ['unlink', '--account', 'person@example.com', '--app', String(quiet.app_id)],
      lane.env,
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /no unlink callback: not notified/);
    assert.deepEqual(await notificationsOf(db, quiet.app_id), []);

    const again = await run(
      ['unlink', '--account', 'person@example.com', '--app', String(quiet.app_id)],
      lane.env,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\[not_found\]/);
    const nobody = await run(
      ['unlink', '--account', 'nobody@example.com', '--app', String(quiet.app_id)],
      lane.env,
    );
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no account with the email nobody@example.com/);
  });
});
