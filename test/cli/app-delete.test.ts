/**
 * `yeon app delete`: nothing happens without the app's name typed (or --yes); with it, every linked
 * account is unlinked, each with an UNLINK_FROM_ADMIN notification written in the unlinks'
 * transaction, the notifications reach the app's callback (a loopback receiver here), and only
 * then is the app gone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createServices } from '../../src/services.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { insertAccount } from '../notifications/helpers.ts';
import { countingReceiver } from '../notifications/processes.ts';
import { laneEnv, run } from './cli-process.ts';

/** The lane's database in this process too, with the whole service graph, as `yeon` builds it. */
async function sharedServices(t: Parameters<typeof laneEnv>[0]) {
  const lane = await laneEnv(t);
  const config = { ...loadConfig({ YEON_ENV: 'test', ...lane.env }), database: lane.testDb.config };
  const db = createDb(config.database);
  lane.beforeDrop(() => db.destroy());
  await migrateToLatest(db);
  const s = createServices({
    config,
    secrets: TEST_SECRETS,
    db,
    dbKind: config.database.kind,
    clock: systemClock,
  });
  return { s, db, env: lane.env };
}

describe('yeon app delete', () => {
  it('asks for the name, then unlinks all 3 linked accounts, delivers 3 notifications and deletes the app', async (t) => {
    const receiver = await countingReceiver(t, 1);
    const { s, db, env } = await sharedServices(t);
    const ownerId = await insertAccount(db, 'owner');
    const { app_id: appId } = await s.apps.createApp(
      { accountId: ownerId },
      { name: 'Doomed', unlink: { callback_url: receiver.url, method: 'POST', state: 'active' } },
    );
    const people = [await insertAccount(db, 'a'), await insertAccount(db, 'b'), await insertAccount(db, 'c')];
    for (const accountId of people)
      await s.connections.agree({ accountId, appId, items: ['profile_nickname'] });
    const liveLinks = () =>
      db
        .selectFrom('connections')
        .select('id')
        .where('app_id', '=', appId)
        .where('status', '=', 'linked')
        .execute();
    const notifications = () =>
      db.selectFrom('notifications').selectAll().where('app_id', '=', appId).execute();
    assert.equal((await liveLinks()).length, 3);

    // No confirmation: stdin ends before a name, or the wrong name is typed.
    for (const input of ['', 'Doomed app\n']) {
      const refused = await run(['app', 'delete', String(appId)], env, input);
      assert.notEqual(refused.code, 0, refused.stdout);
      assert.match(refused.stderr, /not deleted: .*--yes/);
      assert.ok(await s.apps.findAppById(appId), 'the app is still there');
      assert.equal((await liveLinks()).length, 3, 'nobody was unlinked');
      assert.equal((await notifications()).length, 0, 'nothing was queued');
      assert.equal(receiver.total(), 0);
    }

    const deleted = await run(['app', 'delete', String(appId), '--json'], env, 'Doomed\n');
    assert.equal(deleted.code, 0, deleted.stderr);
    const out = JSON.parse(deleted.stdout);
    assert.deepEqual([out.deleted, out.unlinked, out.notifications_delivered, out.pending], [true, 3, 3, 0]);
    assert.equal(await s.apps.findAppById(appId), undefined, 'the app is gone');
    assert.equal((await liveLinks()).length, 0);
    const sent = await notifications();
    assert.equal(sent.length, 3);
    assert.ok(sent.every((n) => n.status === 'delivered' && n.referrer_type === 'UNLINK_FROM_ADMIN'));
    assert.equal(receiver.total(), 3);
    assert.deepEqual([...receiver.seen.keys()].sort(), sent.map((n) => n.id).sort(), 'one delivery each');
  });

  it('with --yes deletes an app nobody is linked to at once, and refuses an unknown app', async (t) => {
    const { s, db, env } = await sharedServices(t);
    const ownerId = await insertAccount(db, 'owner');
    const { app_id: appId } = await s.apps.createApp({ accountId: ownerId }, { name: 'Empty' });
    const unknown = await run(['app', 'delete', '12345', '--yes'], env);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no app 12345/);
    const deleted = await run(['app', 'delete', String(appId), '--yes'], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(
      deleted.stdout,
      /deleted app \d+: unlinked 0 account\(s\), 0 unlink notification\(s\) delivered/,
    );
    assert.equal(await s.apps.findAppById(appId), undefined);
  });
});
