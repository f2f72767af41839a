/**
 * The delivery controls with a fake clock (docs/notifications.md):
 * redelivery by hand, 410 disabling the callback, pause and resume with the backlog, the 5-day
 * auto-pause, optional JSON events written by real links, and who may do what.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { appsPort } from '../../src/modules/connections/apps.adapter.ts';
import { createConnectionsService } from '../../src/modules/connections/connections.service.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { rejectsWith } from '../modules/apps/fixtures.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import {
  appRow,
  attemptsOf,
  createCallbackApp,
  enqueueUnlinks,
  insertAccount,
  notificationRow,
  testDispatcher,
} from './helpers.ts';

const DAY = 86_400_000;

/** A receiver whose status the test sets; counts requests. */
async function scripted(t: TestContext, initial = 200) {
  const state = { status: initial };
  const rx = await startReceiver(t, (_req, res) => res.writeHead(state.status).end());
  return Object.assign(rx, { state });
}

async function setup(t: TestContext, status = 200) {
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock });
  const rx = await scripted(t, status);
  const created = await createCallbackApp(app, `${rx.url}/unlink`);
  const owner = { accountId: created.ownerId };
  return { app, clock, rx, created, owner, appId: created.app_id, svc: app.services.notifications };
}

async function addMember(
  app: FastifyInstance,
  owner: { accountId: string },
  appId: number,
  role: 'member' | 'admin',
) {
  const accountId = await insertAccount(app.db, role);
  const row = await app.db
    .selectFrom('accounts')
    .select('email')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  await joinByInvitation(app, owner, appId, { email: row.email, role });
  return { accountId };
}

describe('redelivery by hand', () => {
  it('queues a failed notification again, once, and it can succeed', async (t) => {
    const { app, clock, rx, owner, appId, svc } = await setup(t, 500);
    const [id] = await enqueueUnlinks(app.db, appId, 1, clock.now());
    const dispatcher = testDispatcher(app, clock, { schedule: [5_000] });
    await dispatcher.tick();
    clock.advance(5_000);
    assert.equal((await dispatcher.tick()).failed, 1);
    await rejectsWith(svc.redeliver(owner, appId, 'msg_unknown'), 'not_found');

    rx.state.status = 200;
    await svc.redeliver(owner, appId, id!);
    await rejectsWith(svc.redeliver(owner, appId, id!), 'notification_not_failed');
    assert.equal((await dispatcher.tick()).delivered, 1);
    const view = await svc.getDelivery(owner, appId, id!);
    assert.equal(view.status, 'delivered');
    assert.deepEqual(
      view.attempt_log.map((a) => [a.attempt, a.status_code]),
      [
        [1, 500],
        [2, 500],
        [3, 200],
      ],
    );
    await rejectsWith(svc.redeliver(owner, appId, id!), 'notification_not_failed');
  });

  it('redelivers all failed notifications of the app, and only those', async (t) => {
    const { app, clock, rx, owner, appId, svc } = await setup(t, 500);
    await enqueueUnlinks(app.db, appId, 3, clock.now());
    const dispatcher = testDispatcher(app, clock, { schedule: [], appConcurrency: 8 });
    assert.equal((await dispatcher.tick()).failed, 3, 'no retries: the first failure is final');
    const [delivered] = await enqueueUnlinks(app.db, appId, 1, clock.now());
    rx.state.status = 200;
    await dispatcher.tick();
    assert.equal(await svc.redeliverAllFailed(owner, appId), 3);
    assert.equal((await dispatcher.tick()).delivered, 3);
    assert.equal((await attemptsOf(app.db, delivered!)).length, 1, 'delivered ones are not sent again');
    assert.deepEqual((await svc.getHealth(owner, appId)).counts, { pending: 0, delivered: 4, failed: 0 });
  });
});

describe('pause, resume and 410', () => {
  it('disables the callback on 410; paused rows wait; resume delivers the backlog at once', async (t) => {
    const { app, clock, rx, owner, appId, svc } = await setup(t, 410);
    const [first] = await enqueueUnlinks(app.db, appId, 1, clock.now());
    const dispatcher = testDispatcher(app, clock, { appConcurrency: 8 });
    await dispatcher.tick();
    const health = await svc.getHealth(owner, appId);
    assert.equal(health.state, 'paused');
    assert.equal(health.paused_reason, 'gone');
    assert.equal((await notificationRow(app.db, first!)).status, 'pending', 'the 410 row waits too');

    await enqueueUnlinks(app.db, appId, 2, clock.now());
    clock.advance(60_000);
    assert.equal((await dispatcher.tick()).claimed, 0, 'nothing is sent while paused');
    assert.equal(rx.requests.length, 1);

    rx.state.status = 200;
    await svc.resume(owner, appId);
    // The 410 row's retry was 5 min away: resuming brings it forward with the rest.
    assert.equal((await dispatcher.tick()).delivered, 3);
    const after = await svc.getHealth(owner, appId);
    assert.equal(after.state, 'active');
    assert.equal(after.paused_reason, null);
  });

  it('pauses and resumes by hand, here and from the unlink settings', async (t) => {
    const { app, clock, rx, owner, appId, svc } = await setup(t);
    await svc.pause(owner, appId);
    assert.equal((await svc.getHealth(owner, appId)).paused_reason, 'manual');
    await enqueueUnlinks(app.db, appId, 1, clock.now());
    const dispatcher = testDispatcher(app, clock);
    assert.equal((await dispatcher.tick()).claimed, 0);
    await app.services.apps.updateUnlinkSettings(owner, appId, {
      callback_url: `${rx.url}/unlink`,
      method: 'POST',
      state: 'active',
    });
    assert.equal((await dispatcher.tick()).delivered, 1);
    await app.services.apps.updateUnlinkSettings(owner, appId, {
      callback_url: `${rx.url}/unlink`,
      method: 'POST',
      state: 'paused',
    });
    const health = await svc.getHealth(owner, appId);
    assert.equal(health.paused_reason, 'manual');
    assert.equal(health.paused_at, clock.now());
  });

  it('pauses a callback that has failed for 5 days without a success, and resume starts a fresh window', async (t) => {
    const { app, clock, owner, appId, svc } = await setup(t, 503);
    const t0 = clock.now();
    await enqueueUnlinks(app.db, appId, 1, t0);
    const dispatcher = testDispatcher(app, clock, { schedule: Array(8).fill(DAY) });
    await dispatcher.tick();
    assert.equal((await appRow(app.db, appId)).notify_failing_since, t0);
    for (let day = 1; day <= 4; day++) {
      clock.set(t0 + day * DAY);
      await dispatcher.tick();
      assert.equal((await svc.getHealth(owner, appId)).state, 'active', `day ${day}`);
    }
    clock.set(t0 + 5 * DAY);
    await dispatcher.tick();
    const health = await svc.getHealth(owner, appId);
    assert.equal(health.state, 'paused');
    assert.equal(health.paused_reason, 'failing');

    await svc.resume(owner, appId);
    assert.equal((await appRow(app.db, appId)).notify_failing_since, null);
    await dispatcher.tick();
    assert.equal(
      (await svc.getHealth(owner, appId)).state,
      'active',
      'one failure after resume does not re-pause',
    );
  });

  it('a success ends the failing streak', async (t) => {
    const { app, clock, rx, appId } = await setup(t, 500);
    await enqueueUnlinks(app.db, appId, 1, clock.now());
    const dispatcher = testDispatcher(app, clock);
    await dispatcher.tick();
    assert.notEqual((await appRow(app.db, appId)).notify_failing_since, null);
    rx.state.status = 204;
    await enqueueUnlinks(app.db, appId, 1, clock.now());
    clock.advance(1);
    await dispatcher.tick();
    const row = await appRow(app.db, appId);
    assert.equal(row.notify_failing_since, null);
    assert.equal(row.notify_last_success_at, clock.now());
  });
});

describe('who may see and act', () => {
  it('members read the log; owners and admins act; outsiders see nothing', async (t) => {
    const { app, clock, owner, appId, svc } = await setup(t);
    const member = await addMember(app, owner, appId, 'member');
    const admin = await addMember(app, owner, appId, 'admin');
    const outsider = { accountId: await insertAccount(app.db, 'outsider') };
    const [id] = await enqueueUnlinks(app.db, appId, 1, clock.now());

    assert.equal((await svc.listDeliveries(member, appId)).items.length, 1);
    assert.equal((await svc.getDelivery(member, appId, id!)).id, id);
    await rejectsWith(svc.redeliverAllFailed(member, appId), 'forbidden');
    await rejectsWith(svc.pause(member, appId), 'forbidden');
    await rejectsWith(svc.setEvents(member, appId, []), 'forbidden');
    await svc.pause(admin, appId);
    await svc.resume(admin, appId);
    for (const call of [
      () => svc.listDeliveries(outsider, appId),
      () => svc.getDelivery(outsider, appId, id!),
      () => svc.getHealth(outsider, appId),
      () => svc.pause(outsider, appId),
    ])
      await rejectsWith(call(), 'not_found');
    await rejectsWith(svc.getDelivery(owner, appId + 1, id!), 'not_found');
  });

  it('pages the log newest first with a cursor and filters by status', async (t) => {
    const { app, clock, owner, appId, svc } = await setup(t);
    const ids = await enqueueUnlinks(app.db, appId, 5, clock.now());
    const first = await svc.listDeliveries(owner, appId, { limit: 3 });
    assert.deepEqual(
      first.items.map((i) => i.id),
      [...ids].sort().reverse().slice(0, 3),
    );
    const second = await svc.listDeliveries(owner, appId, { limit: 3, before: first.next_cursor! });
    assert.equal(second.items.length, 2);
    assert.equal(second.next_cursor, null);
    assert.equal((await svc.listDeliveries(owner, appId, { status: 'failed' })).items.length, 0);
  });
});

describe('optional JSON events', () => {
  it('are JSON-only, and a real link writes user.linked for a subscriber', async (t) => {
    const { app, clock, rx, owner, appId, svc } = await setup(t);
    await rejectsWith(svc.setEvents(owner, appId, ['user.linked']), 'validation_failed');
    await rejectsWith(svc.setEvents(owner, appId, ['user.deleted']), 'validation_failed');
    await app.services.apps.updateUnlinkSettings(owner, appId, {
      callback_url: `${rx.url}/unlink`,
      method: 'POST',
      state: 'active',
      format: 'json',
    });
    assert.deepEqual(await svc.setEvents(owner, appId, ['user.scope_withdrawn', 'user.linked']), [
      'user.linked',
      'user.scope_withdrawn',
    ]);
    assert.deepEqual((await svc.getHealth(owner, appId)).events, ['user.linked', 'user.scope_withdrawn']);

    // A test-only revoker: these tests have no OAuth tokens to revoke.
    const noTokensToRevoke = { revokeConnection: async () => {} };
    const connections = createConnectionsService({
      db: app.db,
      clock,
      apps: appsPort,
      revoker: noTokensToRevoke,
    });
    const person = await insertAccount(app.db, 'person');
    await connections.agree({ accountId: person, appId, items: ['profile_nickname'] });
    const unlinked = await connections.unlink({ accountId: person, appId, by: 'delete_all' });
    await testDispatcher(app, clock).tick();
    const types = rx.requests.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    assert.deepEqual(types, ['user.linked', 'user.unlinked']);
    assert.equal((await notificationRow(app.db, unlinked.notificationId!)).status, 'delivered');
  });
});
