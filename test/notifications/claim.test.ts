/**
 * The bounded claim (delivery.repo.ts `claimDue`) on the lane's database: it seeks
 * each waiting app's oldest rows instead of ranking the backlog, yet keeps the guarantees of
 * docs/notifications.md: per-app `appConcurrency` counted across dispatchers, an app at its cap does not
 * hide other apps' rows however long its backlog, paused apps and live leases are skipped, expired
 * leases are due again, and two dispatchers claiming at the same moment never get the same row.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { type ClaimInput, claimDue } from '../../src/modules/notifications/delivery.repo.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createCallbackApp, enqueueUnlinks, TEST_NOTIFY } from './helpers.ts';

const CALLBACK = 'http://127.0.0.1:9/unlink';

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock });
  const claim = (owner: string, limit: number, extra: Partial<ClaimInput> = {}) =>
    claimDue(app.db, app.dbKind, {
      now: clock.now(),
      owner,
      leaseMs: TEST_NOTIFY.leaseMs,
      limit,
      appConcurrency: 2,
      ...extra,
    });
  return { app, clock, claim };
}

/** One row per time, oldest first (rows due at the same moment are taken in id order). */
async function enqueueAt(db: Parameters<typeof enqueueUnlinks>[0], appId: number, times: number[]) {
  const ids: string[] = [];
  for (const at of times) ids.push(...(await enqueueUnlinks(db, appId, 1, at)));
  return ids;
}

const steps = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

function perApp(rows: Array<{ app_id: number }>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of rows) counts[r.app_id] = (counts[r.app_id] ?? 0) + 1;
  return counts;
}

describe('claiming due notifications', () => {
  it('gives each app at most appConcurrency, counted across dispatchers, oldest rows first', async (t) => {
    const { app, clock, claim } = await setup(t);
    const a = await createCallbackApp(app, CALLBACK);
    const b = await createCallbackApp(app, CALLBACK);
    const now = clock.now();
    const aIds = await enqueueAt(app.db, a.app_id, steps(now - 30, 10));
    const bIds = await enqueueAt(app.db, b.app_id, steps(now - 10, 10));

    const first = await claim('dispatcher-1', 16);
    assert.deepEqual(perApp(first), { [a.app_id]: 2, [b.app_id]: 2 });
    assert.deepEqual(
      first.filter((r) => r.app_id === a.app_id).map((r) => r.id),
      aIds.slice(0, 2),
      'the oldest rows of the app',
    );
    assert.ok(first.every((r) => r.lease_owner === 'dispatcher-1'));
    assert.deepEqual(await claim('dispatcher-2', 16), [], 'both apps are at their cap across dispatchers');

    // A lease that ran out (its dispatcher died) neither counts as busy nor hides its row.
    clock.advance(TEST_NOTIFY.leaseMs + 1);
    const again = await claim('dispatcher-2', 16);
    assert.deepEqual(perApp(again), { [a.app_id]: 2, [b.app_id]: 2 });
    assert.deepEqual(
      again.map((r) => r.id).sort(),
      [...aIds.slice(0, 2), ...bIds.slice(0, 2)].sort(),
      'the expired rows come back first',
    );
  });

  it('an app at its cap with a long older backlog does not hide a younger row of another app', async (t) => {
    const { app, clock, claim } = await setup(t);
    const slow = await createCallbackApp(app, CALLBACK);
    const other = await createCallbackApp(app, CALLBACK);
    const now = clock.now();
    // A backlog far longer than one claim, all older than the other app's row.
    await enqueueUnlinks(app.db, slow.app_id, 40, now - 100);
    const [younger] = await enqueueUnlinks(app.db, other.app_id, 1, now);
    assert.equal((await claim('hung', 2)).length, 2, 'the slow app fills its two slots');

    const next = await claim('healthy', 1);
    assert.deepEqual(
      next.map((r) => r.id),
      [younger],
    );
  });

  it('skips apps whose callback is paused or gone, and rows under a live lease', async (t) => {
    const { app, clock, claim } = await setup(t);
    const paused = await createCallbackApp(app, CALLBACK);
    const active = await createCallbackApp(app, CALLBACK);
    const now = clock.now();
    await enqueueUnlinks(app.db, paused.app_id, 30, now - 100);
    const activeIds = await enqueueAt(app.db, active.app_id, steps(now - 3, 3));
    await app.services.notifications.pause({ accountId: paused.ownerId }, paused.app_id);

    const first = await claim('d', 1, { appConcurrency: 8 });
    assert.deepEqual(
      first.map((r) => r.id),
      [activeIds[0]],
    );
    const rest = await claim('d', 8, { appConcurrency: 8 });
    assert.deepEqual(
      rest.map((r) => r.id),
      activeIds.slice(1),
      'the leased row is not claimed again',
    );
  });

  it('never hands one row to two dispatchers claiming at the same moment', async (t) => {
    const { app, clock, claim } = await setup(t);
    const apps = [];
    for (let i = 0; i < 4; i++) apps.push(await createCallbackApp(app, CALLBACK));
    const ids: string[] = [];
    for (const a of apps) ids.push(...(await enqueueUnlinks(app.db, a.app_id, 25, clock.now())));

    const seen = new Map<string, string>();
    for (let round = 0; round < 40 && seen.size < ids.length; round++) {
      // Both see the same due set; on PostgreSQL they run on two pool connections at once.
      const [x, y] = await Promise.all([
        claim('x', 8, { appConcurrency: 8 }),
        claim('y', 8, { appConcurrency: 8 }),
      ]);
      for (const [owner, rows] of [
        ['x', x],
        ['y', y],
      ] as const) {
        for (const row of rows) {
          assert.equal(seen.get(row.id), undefined, `${row.id} claimed by ${seen.get(row.id)} and ${owner}`);
          seen.set(row.id, owner);
        }
      }
      // Delivered, so the next round claims the rows that are left.
      const claimed = [...x, ...y].map((r) => r.id);
      if (claimed.length)
        await app.db
          .updateTable('notifications')
          .set({ status: 'delivered', lease_owner: null, lease_until: null })
          .where('id', 'in', claimed)
          .execute();
    }
    assert.equal(seen.size, ids.length, 'every row was claimed once');
  });
});
