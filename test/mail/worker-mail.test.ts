/**
 * `yeon worker` sends queued mail too, so operators who run delivery apart from the web servers
 * (`YEON_DISPATCHER=off` on `yeon serve`) lose no mail: `yeon worker --once` hands a mail queued
 * by another process to the SMTP server named by YEON_SMTP_URL (a real one on loopback).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { enqueueMail } from '../../src/modules/mail/mail-outbox.ts';
import { laneEnv, run } from '../cli/cli-process.ts';
import { startSmtpReceiver } from './smtp-receiver.ts';

describe('yeon worker and mail', () => {
  it('yeon worker --once sends a mail queued by another process and reports it', async (t) => {
    const { env, testDb } = await laneEnv(t);
    const receiver = await startSmtpReceiver();
    t.after(() => receiver.close());
    const db = createDb(testDb.config);
    try {
      await migrateToLatest(db);
      await enqueueMail(
        db,
        { to: 'mina@example.com', locale: 'ko', kind: 'smtp_check', params: {} },
        Date.now(),
      );
    } finally {
      await db.destroy();
    }
    const res = await run(['worker', '--once'], { ...env, YEON_SMTP_URL: receiver.url });
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(summary.mail, { claimed: 1, sent: 1, retried: 0, failed: 0 });
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]!.subject, 'yeon 테스트 메일');
  });
});
