/**
 * A delivery slot is freed when the receiver answers, not when the attempt is recorded
 * (src/modules/notifications/dispatcher.ts `launch`): the record's commit overlaps the next
 * delivery. An answered row keeps its lease until recorded, but no longer counts against its
 * app's room; and at most `concurrency` answered rows wait for their record, so records cannot
 * pile up. PostgreSQL only: on SQLite the claim and the record share the one connection, so a
 * claim waits for the record whatever the dispatcher does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { systemClock } from '../../src/lib/clock.ts';
import { bindKeyring, keyringOf } from '../../src/lib/encryption.ts';
import { deliverOnce } from '../../src/modules/outbound/http-client.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { createCallbackApp, enqueueUnlinks, notificationRow, testDispatcher } from './helpers.ts';

const RECORD_DELAY_MS = 300;

describe('dispatcher: a slot is freed by the answer', () => {
  it('sends the next row of the same app while the previous attempt is still being recorded, bounded', async (t) => {
    const clock = systemClock;
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t);
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const ids = await enqueueUnlinks(app.db, created.app_id, 3, clock.now());

    const sends: number[] = [];
    const recordEnds: number[] = [];
    // Every attempt's record is slow: its insert returns RECORD_DELAY_MS late, inside its
    // transaction, on its own pooled connection.
    const slowInserts = new Set<unknown>();
    const slowRecords: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        const insert = node as { kind: string; into?: { table?: { identifier?: { name?: string } } } };
        if (
          insert.kind === 'InsertQueryNode' &&
          insert.into?.table?.identifier?.name === 'notification_attempts'
        )
          slowInserts.add(queryId);
        return node;
      },
      transformResult: async ({ result, queryId }) => {
        if (slowInserts.delete(queryId)) {
          await new Promise((r) => setTimeout(r, RECORD_DELAY_MS));
          recordEnds.push(performance.now());
        }
        return result;
      },
    };
    const db = app.db.withPlugin(slowRecords);
    // Stored secrets are sealed with the keyring bound to a handle (src/lib/encryption.ts).
    bindKeyring(db, keyringOf(app.db));

    // One slot, one at a time to this app: before, the second send waited for the first record.
    const dispatcher = testDispatcher(
      app,
      clock,
      { concurrency: 1, appConcurrency: 1, pollMs: 20 },
      {
        db,
        deliver: (request, options) => {
          sends.push(performance.now());
          return deliverOnce(request, options);
        },
      },
    );
    dispatcher.start();
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const rows = await Promise.all(ids.map((id) => notificationRow(app.db, id)));
        if (rows.every((r) => r.status === 'delivered')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await dispatcher.stop();
    }

    const rows = await Promise.all(ids.map((id) => notificationRow(app.db, id)));
    assert.deepEqual(
      rows.map((r) => [r.status, r.attempts, r.lease_owner]),
      ids.map(() => ['delivered', 1, null]),
      'every row delivered once and recorded',
    );
    assert.equal(rx.requests.length, 3, 'each row sent once');
    assert.equal(sends.length, 3);
    assert.ok(recordEnds.length >= 1);
    assert.ok(
      sends[1]! < recordEnds[0]!,
      `the second send (${(sends[1]! - sends[0]!).toFixed(0)} ms after the first) waited for the first record (${(recordEnds[0]! - sends[0]!).toFixed(0)} ms)`,
    );
    // One slot: one answered row may wait for its record, so the third send waits for the first
    // record to end (its slot was never freed while the second's answer waited too).
    assert.ok(sends[2]! >= recordEnds[0]!, 'at most `concurrency` answered rows wait for their record');
  });
});
