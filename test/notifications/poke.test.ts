/**
 * Unlink → callback without waiting for the poll (outbox-signal.ts): in `yeon serve`
 * a Delete All Data that commits an outbox row wakes the in-process dispatcher right after
 * COMMIT. The poll is set to its maximum (60 s) and the dispatcher has already made its first
 * claim, so only the wake-up can bring the callback within the wait below.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from '../../src/server.ts';
import { insertAccount, notificationRow } from './helpers.ts';
import { countingReceiver, sharedDatabase, until } from './processes.ts';

/** Well under the 60 s poll: a safety net that fails the test if only the poll would deliver. */
const WAIT_MS = 20_000;

describe('unlink wakes the dispatcher of yeon serve', () => {
  it('delivers a Delete All Data callback at once, not at the next 60 s poll', async (t) => {
    const rx = await countingReceiver(t, 0);
    const { db, env, appIds, beforeDrop } = await sharedDatabase(t, rx.url, 1);
    const server = await startServer({
      ...env,
      YEON_ENV: 'test',
      YEON_HOST: '127.0.0.1',
      YEON_PORT: '0',
      YEON_LOG_LEVEL: 'silent',
      YEON_NOTIFY_POLL_MS: '60000',
    });
    // Closed before the database is dropped (`after` hooks run in registration order): a drop
    // WITH (FORCE) under a dispatcher still recording a delivery fails that write.
    beforeDrop(() => server.close());
    const { connections } = server.app.services;
    const person = await insertAccount(db, 'person');
    const appId = appIds[0]!;
    const unlinkAndWait = async () => {
      await connections.agree({ accountId: person, appId, items: ['profile_nickname'] });
      const { notificationId } = await connections.unlink({ accountId: person, appId, by: 'delete_all' });
      const deadline = Date.now() + WAIT_MS;
      while (!rx.seen.has(notificationId!) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(rx.seen.get(notificationId!), 1, 'the callback arrived without waiting for the poll');
      return notificationId!;
    };

    const recorded = (id: string) =>
      until(async () => (await notificationRow(db, id)).status === 'delivered', 'the delivery recorded');
    const first = await unlinkAndWait();
    await recorded(first);
    // The first delivery is recorded and the loop has gone back to sleep for the poll: the second
    // unlink can only be delivered by the wake-up.
    await new Promise((r) => setTimeout(r, 200));
    // The test ends once the second delivery is recorded too, so nothing is in flight at close.
    await recorded(await unlinkAndWait());
  });
});
