/**
 * Connections rules through the real services on a real database: stable app user ids across
 * relinks, required/optional consent, the two unlink cases of Manage Connected Services, and
 * exactly one outbox row written with an unlink that must notify.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../../helpers/build-test-app.ts';

const PASSWORD = 'correct horse battery';

async function setup(t: Parameters<typeof buildTestApp>[0], withCallback: boolean) {
  const { app, db } = await buildTestApp(t);
  const s = app.services;
  const dev = await s.accounts.signUp({ email: 'dev@example.com', password: PASSWORD, nickname: 'Dev' });
  const person = await s.accounts.signUp({ email: 'mina@example.com', password: PASSWORD, nickname: 'Mina' });
  const created = await s.apps.createApp(
    { accountId: dev.id },
    {
      name: 'Shop',
      redirect_uris: ['http://localhost:8081/callback'],
      consent_items: [
        { item: 'profile_nickname', mode: 'required' },
        { item: 'account_email', mode: 'optional' },
        { item: 'gender', mode: 'during_use' },
      ],
      unlink: withCallback
        ? { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' }
        : { callback_url: null, method: 'POST', state: 'active' },
    },
  );
  return { s, db, person, appId: created.app_id };
}

async function notificationsOf(db: Awaited<ReturnType<typeof setup>>['db'], appId: number) {
  return db.selectFrom('notifications').selectAll().where('app_id', '=', appId).execute();
}

describe('connections service', () => {
  it('links on first consent, keeps the app user id across unlink and relink', async (t) => {
    const { s, person, appId } = await setup(t, false);
    const first = await s.connections.agree({
      accountId: person.id,
      appId,
      items: ['profile_nickname', 'account_email'],
    });
    assert.equal(first.newlyLinked, true);
    assert.ok(Number.isSafeInteger(first.appUserId) && first.appUserId > 0);
    const again = await s.connections.agree({ accountId: person.id, appId, items: ['gender'] });
    assert.equal(again.newlyLinked, false);
    assert.deepEqual((await s.connections.getLive(person.id, appId))?.items.sort(), [
      'account_email',
      'gender',
      'profile_nickname',
    ]);

    await s.connections.unlink({ accountId: person.id, appId, by: 'disconnect' });
    assert.equal(await s.connections.getLive(person.id, appId), undefined);
    assert.equal((await s.connections.lastUnlink(person.id, appId))?.unlinkedBy, 'disconnect');
    const relinked = await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    assert.equal(relinked.newlyLinked, true);
    assert.equal(relinked.appUserId, first.appUserId);
    const all = await s.connections.listForAccount(person.id);
    assert.deepEqual(all.map((c) => c.status).sort(), ['linked', 'unlinked']);
  });

  it('refuses a first link without every required item, and items the app does not offer', async (t) => {
    const { s, person, appId } = await setup(t, false);
    await assert.rejects(s.connections.agree({ accountId: person.id, appId, items: ['account_email'] }), {
      code: 'validation_failed',
    });
    await assert.rejects(
      s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname', 'phone_number'] }),
      {
        code: 'validation_failed',
      },
    );
    assert.equal(await s.connections.getLive(person.id, appId), undefined);
  });

  it('withdraws optional items only', async (t) => {
    const { s, person, appId } = await setup(t, false);
    await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname', 'account_email'] });
    await s.connections.withdraw({ accountId: person.id, appId, item: 'account_email' });
    assert.deepEqual((await s.connections.getLive(person.id, appId))?.items, ['profile_nickname']);
    await assert.rejects(s.connections.withdraw({ accountId: person.id, appId, item: 'profile_nickname' }), {
      code: 'consent_item_required',
    });
    await assert.rejects(s.connections.withdraw({ accountId: person.id, appId, item: 'account_email' }), {
      code: 'not_found',
    });
  });

  it('case 1 (callback configured): only Delete All Data, which writes exactly one UNLINK_FROM_APPS row', async (t) => {
    const { s, db, person, appId } = await setup(t, true);
    const linked = await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    await assert.rejects(s.connections.unlink({ accountId: person.id, appId, by: 'disconnect' }), {
      code: 'unlink_option_unavailable',
    });
    assert.equal((await notificationsOf(db, appId)).length, 0);
    const result = await s.connections.unlink({ accountId: person.id, appId, by: 'delete_all' });
    const rows = await notificationsOf(db, appId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.id, result.notificationId);
    assert.equal(rows[0]!.referrer_type, 'UNLINK_FROM_APPS');
    assert.equal(rows[0]!.event_type, 'user.unlinked');
    assert.equal(rows[0]!.app_user_id, linked.appUserId);
    assert.equal(rows[0]!.status, 'pending');
    // A second unlink finds nothing to unlink and writes nothing.
    await assert.rejects(s.connections.unlink({ accountId: person.id, appId, by: 'delete_all' }), {
      code: 'not_found',
    });
    assert.equal((await notificationsOf(db, appId)).length, 1);
  });

  it('case 2 (no callback): Disconnect unlinks without a notification; Delete All Data cannot unlink by itself', async (t) => {
    const { s, db, person, appId } = await setup(t, false);
    await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    await assert.rejects(s.connections.unlink({ accountId: person.id, appId, by: 'delete_all' }), {
      code: 'unlink_option_unavailable',
    });
    assert.ok(await s.connections.getLive(person.id, appId));
    await s.connections.unlink({ accountId: person.id, appId, by: 'disconnect' });
    assert.equal((await notificationsOf(db, appId)).length, 0);
  });

  it('app-initiated unlinks send no callback; admin unlinks send UNLINK_FROM_ADMIN', async (t) => {
    const { s, db, person, appId } = await setup(t, true);
    await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    await s.connections.unlink({ accountId: person.id, appId, by: 'app' });
    assert.equal((await notificationsOf(db, appId)).length, 0);
    await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    await s.connections.unlink({ accountId: person.id, appId, by: 'admin' });
    assert.deepEqual(
      (await notificationsOf(db, appId)).map((r) => r.referrer_type),
      ['UNLINK_FROM_ADMIN'],
    );
  });

  it('signals outbox rows after COMMIT only: Delete All Data yes, a rollback or Disconnect no', async (t) => {
    const { s, db, person, appId } = await setup(t, true);
    const seenAtSignal: Array<Promise<number>> = [];
    // Started at the moment of the signal: on PostgreSQL another pool connection, which sees only
    // committed rows.
    s.outboxSignal.subscribe(() => {
      seenAtSignal.push(notificationsOf(db, appId).then((rows) => rows.length));
    });
    await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    assert.equal(seenAtSignal.length, 0, 'a link of an app without user.linked writes no row');
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await s.connections.unlinkWithin(trx, { accountId: person.id, appId, by: 'delete_all' });
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal(seenAtSignal.length, 0, 'nothing committed, nothing signalled');
    await s.connections.unlink({ accountId: person.id, appId, by: 'delete_all' });
    assert.equal(seenAtSignal.length, 1);
    assert.equal(await seenAtSignal[0], 1, 'the row was visible when the signal came');

    const plain = await setup(t, false);
    let signals = 0;
    plain.s.outboxSignal.subscribe(() => signals++);
    await plain.s.connections.agree({
      accountId: plain.person.id,
      appId: plain.appId,
      items: ['profile_nickname'],
    });
    await plain.s.connections.unlink({ accountId: plain.person.id, appId: plain.appId, by: 'disconnect' });
    assert.equal(signals, 0, 'Disconnect writes no outbox row');
  });

  it('an unlink that fails after writing the outbox row leaves neither the row nor the unlink', async (t) => {
    const { s, db, person, appId } = await setup(t, true);
    await s.connections.agree({ accountId: person.id, appId, items: ['profile_nickname'] });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await s.connections.unlinkWithin(trx, { accountId: person.id, appId, by: 'delete_all' });
        throw new Error('crash after the unlink, before commit');
      }),
      /crash/,
    );
    assert.equal((await notificationsOf(db, appId)).length, 0);
    assert.ok(await s.connections.getLive(person.id, appId));
  });
});
