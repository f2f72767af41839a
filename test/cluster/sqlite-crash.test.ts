/**
 * One `yeon serve` on a data folder (SQLite on the sqlite lane) is SIGKILLed in the middle of
 * 1,000 Delete All Data presses and started again on the same folder. Every unlink that yeon
 * answered (its 303 to the receipt: the transaction committed) reaches the app's callback, and so
 * does every unlink that committed without its answer getting out; the only notifications the
 * receiver may see twice are those the kill cut short between sending and recording the answer
 * (at least once, deduplicated by `webhook-id`: docs/notifications.md).
 *
 * The outbox row is written in the unlink's own transaction (docs/architecture.md "An unlink, end
 * to end"), so a commit that reached the disk carries its notification through the crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneEnv } from '../cli/cli-process.ts';
import { TEST_ENCRYPTION_KEY } from '../helpers/build-test-app.ts';
import { clusterEnv, freePort, sleep, yeonInstance } from '../helpers/cluster.ts';
import {
  callbackApp,
  type LinkedPerson,
  linkedPeople,
  oauthRowsLeft,
  pool,
  pressDeleteAllData,
  receiver,
  setupApp,
} from '../helpers/cluster-people.ts';

const UNLINKS = 1000;
/** Presses in flight at once. */
const PARALLEL = 8;
/** The dispatcher's concurrency (clusterEnv): the deliveries one kill can cut short. */
const NOTIFY_CONCURRENCY = 16;
/** Waiting for the system under test: a safety net against hangs, never an assertion. */
const WAIT_LIMIT_MS = 90_000;

describe('a crash of yeon serve in the middle of unlinks', { timeout: 240_000 }, () => {
  it('after kill -9 and a restart on the same data, every committed unlink of 1,000 is delivered, and only ones cut short by the kill twice', async (t) => {
    const lane = await laneEnv(t);
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const { app, db } = await setupApp({ after: lane.beforeDrop }, lane.testDb, issuer);
    const rx = await receiver(t);
    const client = await callbackApp(app, rx.url);
    const people = await linkedPeople(app, client, UNLINKS);
    const env = clusterEnv(lane.testDb.env, issuer, TEST_ENCRYPTION_KEY, lane.dataDir);
    const yeon = await yeonInstance(t, 'yeon', env, port);
    await yeon.start();

    // Presses until half have committed; then the kill. Presses that meet the dead process fail
    // and are pressed again once it is back, as a person would.
    const committed = new Set<number>();
    const pressAgain: LinkedPerson[] = [];
    let killAt = 0;
    let killing: Promise<void> | undefined;
    await pool(people.length, PARALLEL, async (i) => {
      const person = people[i]!;
      const result = await pressDeleteAllData(issuer, person, client.app_id);
      if (result.outcome === 'committed') committed.add(person.appUserId);
      else if (result.outcome === 'failed' && killAt) pressAgain.push(person);
      else assert.fail(`press ${i} before the kill: ${JSON.stringify(result)}`);
      if (!killing && committed.size >= UNLINKS / 2) {
        killAt = Date.now();
        killing = yeon.stop('SIGKILL');
      }
    });
    await killing;
    const answeredBeforeKill = committed.size;
    assert.ok(killAt, 'the kill happened while the presses ran');
    // The receiver runs on this process's event loop, so a request the dead process sent just
    // before its kill can be read here a little after `killAt`. What the restarted instance sends
    // first can only be read after it starts: that is the line between "cut short" and "sent twice".
    const restartedAt = Date.now();
    await yeon.start();

    let answerLost = 0;
    for (const person of pressAgain) {
      const result = await pressDeleteAllData(issuer, person, client.app_id);
      if (result.outcome === 'committed') committed.add(person.appUserId);
      else if (result.outcome === 'gone') answerLost++;
      else assert.fail(`press after the restart: ${JSON.stringify(result)}`);
    }

    // The database's word on which unlinks committed: each carries its notification.
    const links = await db
      .selectFrom('connections')
      .select(['app_user_id', 'status', 'notification_id'])
      .where('app_id', '=', client.app_id)
      .where('status', '=', 'unlinked')
      .execute();
    assert.equal(links.length, UNLINKS, 'every person ended unlinked');
    assert.ok(links.every((l) => l.notification_id));
    for (const id of committed)
      assert.ok(
        links.some((l) => Number(l.app_user_id) === id),
        `a 303 answered for ${id} means it committed`,
      );

    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (!links.every((l) => rx.byId.has(l.notification_id!))) {
      if (Date.now() > deadline) throw new Error('timed out waiting for every notification');
      await sleep(100);
    }
    const pending = async () =>
      Number(
        (
          await db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('app_id', '=', client.app_id)
            .where('status', '!=', 'delivered')
            .executeTakeFirstOrThrow()
        ).n,
      );
    while ((await pending()) > 0) {
      if (Date.now() > deadline) throw new Error('timed out waiting for every row to be delivered');
      await sleep(100);
    }
    await yeon.stop('SIGTERM');

    const twice = [...rx.byId].filter(([, d]) => d.count > 1);
    const afterTheRestart = twice.filter(([, d]) => d.firstAt > restartedAt);
    assert.deepEqual(afterTheRestart, [], 'nothing first delivered after the restart is delivered again');
    assert.ok(twice.length <= NOTIFY_CONCURRENCY, `${twice.length} delivered twice`);
    assert.equal(
      await oauthRowsLeft(
        db,
        people.map((p) => p.accountId),
        client.rest_api_key,
      ),
      0,
      'no grant or token outlives its link',
    );
    console.log(
      `sqlite crash: ${UNLINKS} unlinks, 1 kill -9 after ${answeredBeforeKill} answered presses, ` +
        `${pressAgain.length} pressed again (${answerLost} had committed unanswered), ` +
        `${rx.byId.size} notifications delivered, ${twice.length} delivered twice (cut short by the kill)`,
    );
  });
});
