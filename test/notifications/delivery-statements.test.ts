/**
 * What one claim costs in statements besides the claim itself (bench/README.md part 4, the burst
 * drain): the apps the claim touched, their admin keys and their signing secrets are read once per
 * claim, however many notifications and apps it holds, and an app's health is written once per run
 * of successes in a recorded batch. Counted, never timed (test/helpers/statement-budget.ts). The
 * reads are per claim only: a console change made between two claims applies to the second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { claimDue } from '../../src/modules/notifications/delivery.repo.ts';
import { createRecorder } from '../../src/modules/notifications/delivery-records.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { describeStatements, recordStatements } from '../helpers/statement-budget.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { appRow, createCallbackApp, enqueueUnlinks, TEST_NOTIFY, testDispatcher } from './helpers.ts';

const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim().toLowerCase();
/** Reads of an app's delivery settings: its row, its keys, its signing secrets (not the claim's). */
const readsOf = (statements: string[], table: string) =>
  statements.filter((s) => new RegExp(`^select .* from "${table}"`).test(flat(s)));
/** The callback-health write of a success (delivery.repo.ts `noteSuccess`). */
const successWrites = (statements: string[]) =>
  statements.filter(
    (s) => flat(s).startsWith('update "apps" set') && flat(s).includes('"notify_last_success_at"'),
  );

describe('dispatcher: statements per claim', () => {
  it('reads the settings of all the apps of a claim once, however many rows and apps it holds', async (t) => {
    const recorder = recordStatements(t);
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t);
    const apps = [
      await createCallbackApp(app, `${rx.url}/a`),
      await createCallbackApp(app, `${rx.url}/b`),
      await createCallbackApp(app, `${rx.url}/c`),
    ];
    for (const a of apps) await enqueueUnlinks(app.db, a.app_id, 3, clock.now());

    const dispatcher = testDispatcher(app, clock, { concurrency: 9, appConcurrency: 3 });
    const { result, statements } = await recorder.during(() => dispatcher.tick());
    assert.deepEqual(result, { claimed: 9, delivered: 9, retried: 0, failed: 0 });

    const why = `\n${describeStatements(statements)}`;
    // 9 rows of 3 apps: one read each of the apps, their live admin keys and their live secrets.
    assert.equal(readsOf(statements, 'apps').length, 1, `apps read more than once:${why}`);
    assert.equal(readsOf(statements, 'app_keys').length, 1, `keys read more than once:${why}`);
    assert.equal(readsOf(statements, 'app_webhook_secrets').length, 1, `secrets read more than once:${why}`);
    const commits = statements.filter((s) => flat(s) === 'commit').length;
    assert.ok(commits >= 1, why);
    // All succeeded: per recorded batch, one write of the apps' health, not one per delivery.
    assert.equal(successWrites(statements).length, commits, `health per delivery:${why}`);
    // And one statement marks a batch's deliveries, not one per delivery (a round trip each on
    // PostgreSQL, inside the batch's transaction).
    const marks = statements.filter((s) => /^update "?notifications"? set "?status"?/.test(flat(s)));
    assert.equal(marks.length, commits, `marks per delivery:${why}`);
    const rows = await app.db
      .selectFrom('notifications')
      .select(['status', 'attempts', 'delivered_at', 'last_attempt_at', 'lease_owner', 'lease_until'])
      .execute();
    assert.equal(rows.length, 9);
    for (const row of rows) {
      assert.equal(row.status, 'delivered');
      assert.equal(row.attempts, 1);
      assert.equal(row.delivered_at, clock.now());
      assert.equal(row.last_attempt_at, clock.now());
      assert.equal(row.lease_owner, null);
      assert.equal(row.lease_until, null);
    }

    // Every receiver got its own app's admin key.
    assert.equal(rx.requests.length, 9);
    for (const a of apps) {
      const seen = rx.requests.filter((r) => r.url === `/${['a', 'b', 'c'][apps.indexOf(a)]}`);
      assert.equal(seen.length, 3);
      for (const r of seen) assert.equal(r.headers.authorization, `KakaoAK ${a.admin_key}`);
    }
  });

  it('reads them again on the next claim: a callback URL changed between claims applies', async (t) => {
    const recorder = recordStatements(t);
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t);
    const created = await createCallbackApp(app, `${rx.url}/before`);
    await enqueueUnlinks(app.db, created.app_id, 4, clock.now());
    const dispatcher = testDispatcher(app, clock, { concurrency: 2, appConcurrency: 2 });

    const first = await recorder.during(() => dispatcher.tick());
    assert.equal(first.result.delivered, 2);
    assert.equal(readsOf(first.statements, 'apps').length, 1, describeStatements(first.statements));

    await app.db
      .updateTable('apps')
      .set({ unlink_callback_url: `${rx.url}/after` })
      .where('id', '=', created.app_id)
      .execute();
    const second = await recorder.during(() => dispatcher.tick());
    assert.equal(second.result.delivered, 2);
    assert.equal(readsOf(second.statements, 'apps').length, 1, describeStatements(second.statements));
    assert.deepEqual(
      rx.requests.map((r) => r.url),
      ['/before', '/before', '/after', '/after'],
    );
  });

  it('writes an app’s health once per run of successes in a batch, the last runs together, ending as the last attempt left it', async (t) => {
    const statementRecorder = recordStatements(t);
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const a = await createCallbackApp(app, 'http://127.0.0.1:9/a');
    const b = await createCallbackApp(app, 'http://127.0.0.1:9/b');
    const rowsA = await enqueueUnlinks(app.db, a.app_id, 4, clock.now());
    const [rowB] = await enqueueUnlinks(app.db, b.app_id, 1, clock.now());
    const claimed = await claimDue(app.db, app.dbKind, {
      now: clock.now(),
      owner: 'recorder-test',
      leaseMs: TEST_NOTIFY.leaseMs,
      limit: 8,
      appConcurrency: 8,
    });
    const byId = new Map(claimed.map((r) => [r.id, r]));
    const recorder = createRecorder({ db: app.db, owner: 'recorder-test', autoPauseMs: 1e9, warn() {} });
    const t0 = clock.now();
    const ok = { ok: true, status: 200, latencyMs: 1 } as const;
    const bad = { ok: false, status: 500, error: 'http_500', latencyMs: 1 } as const;
    // Completion order: A ok, A ok, B ok, A fails, A ok; all in one batch.
    const plan = [
      { id: rowsA[0]!, result: ok },
      { id: rowsA[1]!, result: ok },
      { id: rowB!, result: ok },
      { id: rowsA[2]!, result: bad },
      { id: rowsA[3]!, result: ok },
    ];
    const { result: paused, statements } = await statementRecorder.during(() =>
      Promise.all(
        plan.map(({ id, result }, i) =>
          recorder.record({
            row: byId.get(id)!,
            started: t0 + i,
            now: t0 + i,
            result,
            outcome: result.ok
              ? { kind: 'delivered' }
              : { kind: 'retry', error: 'http_500', nextAttemptAt: t0 + 5000, gone: false },
          }),
        ),
      ),
    );
    assert.deepEqual(paused, [undefined, undefined, undefined, undefined, undefined]);
    const why = `\n${describeStatements(statements)}`;
    assert.equal(statements.filter((s) => flat(s) === 'commit').length, 1, `one batch:${why}`);
    // A's first success is overwritten by its second: not written; its second is, before A's
    // failure; A's last and B's are written together at the end.
    assert.equal(successWrites(statements).length, 2, why);

    const appA = await appRow(app.db, a.app_id);
    assert.equal(appA.notify_failing_since, null, 'the last attempt (a success) ended the streak');
    assert.equal(Number(appA.notify_last_success_at), t0 + 4);
    const appB = await appRow(app.db, b.app_id);
    assert.equal(Number(appB.notify_last_success_at), t0 + 2);
    const states = await app.db
      .selectFrom('notifications')
      .select(['id', 'status', 'delivered_at'])
      .where('id', 'in', [...rowsA, rowB!])
      .execute();
    const status = new Map(states.map((s) => [s.id, s.status]));
    assert.deepEqual(
      plan.map((p) => status.get(p.id)),
      ['delivered', 'delivered', 'delivered', 'pending', 'delivered'],
    );
    // Each keeps its own delivery time.
    const deliveredAt = new Map(
      states.map((s) => [s.id, s.delivered_at === null ? null : Number(s.delivered_at)]),
    );
    assert.deepEqual(
      plan.map((p) => deliveredAt.get(p.id)),
      [t0, t0 + 1, t0 + 2, null, t0 + 4],
    );
  });
});
