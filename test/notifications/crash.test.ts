/**
 * Crash safety (the CI-sized run): 1,000
 * notifications are written in rounds while a real `./bin/yeon worker` is killed with SIGKILL at
 * a random moment of each round's deliveries and started again. After the last restart every notification id has
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
const KILLS = 3;

describe('crash safety of notification delivery', () => {
  it('delivers every one of 1,000 notifications at least once across SIGKILLs of the worker', async (t) => {
    const rx = await countingReceiver(t, 50);
    const { db, env, appIds } = await sharedDatabase(t, rx.url, 8);
    const workerEnv = { ...env, ...FAST_WORKER_ENV };

    // Each round writes a share of the rows, waits until the worker is delivering them, and
    // kills it at a random moment of that work; the last round's worker drains everything.
    const ids: string[] = [];
    let worker: Worker = await startWorker(t, workerEnv);
    for (let round = 0; round <= KILLS; round++) {
      const before = rx.total();
      ids.push(...(await produce(db, appIds, TOTAL / (KILLS + 1), { batch: 50, pauseMs: 0 })));
      if (round === KILLS) break;
      await until(() => rx.total() >= before + 5, 'deliveries before a kill');
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 250)));
      await killHard(worker);
      worker = await startWorker(t, workerEnv);
    }
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
