/**
 * Two dispatcher processes on one database (issue #6 §2 "Shown by": "two dispatchers in two
 * processes deliver 1,000 notifications, each once"). On PostgreSQL the claim is
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

    const counts = ids.map((id) => rx.seen.get(id) ?? 0);
    assert.equal(counts.filter((c) => c === 0).length, 0, 'none missing');
    assert.equal(counts.filter((c) => c > 1).length, 0, 'none delivered twice');
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
