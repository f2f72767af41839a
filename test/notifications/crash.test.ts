/**
 * Crash safety (issue #6 "Shown by"; reliability-and-security.md T1, CI variant): 1,000
 * notifications are written while a real `./bin/yeon worker` is killed with SIGKILL at random
 * moments mid-delivery and started again. After the last restart every notification id has
 * reached the loopback receiver at least once and every row is delivered: none lost.
 * A short lease (2 s) brings a killed worker's rows back quickly; duplicates are expected and
 * reported, never asserted away (at-least-once).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countByStatus,
  countingReceiver,
  FAST_WORKER_ENV,
  killHard,
  produce,
  sharedDatabase,
  startWorker,
  until,
  type Worker,
} from './processes.ts';

const TOTAL = 1000;
const KILLS = 4;

describe('crash safety of notification delivery', () => {
  it('delivers every one of 1,000 notifications at least once across SIGKILLs of the worker', async (t) => {
    const rx = await countingReceiver(t);
    const { db, env, appIds } = await sharedDatabase(t, rx.url, 8);
    const workerEnv = { ...env, ...FAST_WORKER_ENV };

    // Writers keep adding rows while the worker is killed and restarted.
    const producing = produce(db, appIds, TOTAL, { batch: 50, pauseMs: 150 });
    let worker: Worker = await startWorker(t, workerEnv);
    for (let kill = 0; kill < KILLS; kill++) {
      // Kill while it is delivering: after a few new deliveries, plus a random moment.
      const before = rx.total();
      await until(() => rx.total() >= before + 5, 'deliveries before a kill');
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
      await killHard(worker);
      worker = await startWorker(t, workerEnv);
    }
    const ids = await producing;
    await until(async () => (await countByStatus(db, 'delivered')) === TOTAL, 'all rows delivered');
    worker.child.kill('SIGTERM');
    await worker.exited;

    const lost = ids.filter((id) => !rx.seen.has(id));
    assert.deepEqual(lost, [], 'every notification id reached the receiver');
    assert.equal(await countByStatus(db, 'pending'), 0);
    assert.equal(await countByStatus(db, 'failed'), 0);
    const duplicates = ids.reduce((n, id) => n + (rx.seen.get(id)! - 1), 0);
    t.diagnostic(`${KILLS} kills, ${duplicates} duplicate deliveries of ${TOTAL}`);
  });
});
