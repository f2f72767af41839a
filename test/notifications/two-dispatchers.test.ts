/**
 * Two dispatcher processes on one database (two dispatchers in two
 * processes deliver 1,000 notifications, each once). On PostgreSQL the claim is
 * `FOR UPDATE SKIP LOCKED`; on SQLite a conditional UPDATE under SQLite's single writer; both
 * must hand each row to exactly one of them. Leases are long (60 s) and the receiver fast, so no
 * lease can expire mid-delivery: any second delivery of an id would be a double claim.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countByStatus, countingReceiver, produce, sharedDatabase, startWorker, until } from './processes.ts';

const TOTAL = 1000;

describe('two dispatcher processes', () => {
  it('deliver 1,000 notifications between them, each exactly once', async (t) => {
    const rx = await countingReceiver(t, 5);
    const { db, env, appIds } = await sharedDatabase(t, rx.url, 10);
    const workerEnv = {
      ...env,
      // A generous timeout: on a loaded machine a 3 s timeout can fail an attempt the receiver did
      // get, and its legitimate retry would look like a double claim.
      YEON_CALLBACK_TIMEOUT_MS: '20000',
      YEON_NOTIFY_POLL_MS: '20',
      YEON_NOTIFY_CONCURRENCY: '16',
      YEON_NOTIFY_APP_CONCURRENCY: '4',
    };
    const workers = await Promise.all([startWorker(t, workerEnv), startWorker(t, workerEnv)]);
    // Rows arrive while both are polling, so both claim from the same due set.
    const ids = await produce(db, appIds, TOTAL, { batch: 100, pauseMs: 50 });
    await until(async () => (await countByStatus(db, 'delivered')) === TOTAL, 'all rows delivered');
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));

    const missing = ids.filter((id) => !rx.seen.has(id));
    assert.deepEqual(missing, [], 'none missing');
    const twice = ids.filter((id) => rx.seen.get(id)! > 1);
    const attemptsOfTwice = twice.length
      ? await db
          .selectFrom('notification_attempts')
          .selectAll()
          .where('notification_id', 'in', twice)
          .execute()
      : [];
    assert.deepEqual(twice, [], `delivered twice; their attempts: ${JSON.stringify(attemptsOfTwice)}`);
    assert.equal(rx.total(), TOTAL);
    const byWorker = await db
      .selectFrom('notification_attempts')
      .select(['worker', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('worker')
      .execute();
    assert.equal(byWorker.length, 2, 'both dispatchers delivered a share');
    assert.equal(
      byWorker.reduce((n, w) => n + Number(w.n), 0),
      TOTAL,
      'one attempt per notification',
    );
    t.diagnostic(`shares: ${byWorker.map((w) => Number(w.n)).join(' + ')}`);
  });
});
