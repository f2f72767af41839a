/**
 * Mail is never lost: it is queued in the transaction of the state change and sent by the mail
 * dispatcher to a real SMTP server on loopback, with retries after an outage and the error kept
 * when the server refuses it for good. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import {
  claimDueMail,
  purgeSentMail,
  SENT_MAIL_RETENTION_MS,
} from '../../src/modules/mail/mail-delivery.repo.ts';
import { createMailDispatcher } from '../../src/modules/mail/mail-dispatcher.ts';
import { enqueueMail } from '../../src/modules/mail/mail-outbox.ts';
import { MAIL_RETRY_SCHEDULE } from '../../src/modules/mail/mail-retry.ts';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/test-db.ts';
import { startSmtpReceiver } from './smtp-receiver.ts';

const PLATFORM = '연 & <Friends>';
const ISSUER = 'https://id.example.com';

let testDb: TestDatabase;
let db: Db;

before(async () => {
  testDb = await createTestDatabase();
  db = createDb(testDb.config);
  await migrateToLatest(db);
});

after(async () => {
  await db.destroy();
  await testDb.drop();
});

function dispatcherFor(smtpUrl: string, clock = fakeClock()) {
  return createMailDispatcher({
    db,
    dbKind: TEST_DB,
    clock,
    smtpUrl,
    from: `"${PLATFORM}" <no-reply@id.example.com>`,
    platformName: PLATFORM,
    issuer: ISSUER,
    pollMs: 50,
    random: () => 0.5,
  });
}

async function rowFor(to: string) {
  return db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).executeTakeFirstOrThrow();
}

describe(`mail outbox (${TEST_DB})`, () => {
  it('a mail queued in a transaction that rolls back is never sent', async () => {
    const receiver = await startSmtpReceiver();
    const dispatcher = dispatcherFor(receiver.url);
    try {
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await enqueueMail(
            trx,
            { to: 'rolled@example.com', locale: 'en', kind: 'smtp_check', params: {} },
            1,
          );
          throw new Error('the state change failed');
        }),
        /the state change failed/,
      );
      assert.equal((await dispatcher.tick()).claimed, 0);
      assert.equal(receiver.received.length, 0);
      const rows = await db
        .selectFrom('mail_outbox')
        .select('id')
        .where('to_address', '=', 'rolled@example.com')
        .execute();
      assert.equal(rows.length, 0);
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  });

  it("a committed mail arrives with a text and an HTML part in the person's language, the platform name, escaped parameters and nothing that tracks", async () => {
    const receiver = await startSmtpReceiver();
    const dispatcher = dispatcherFor(receiver.url);
    try {
      await db
        .transaction()
        .execute((trx) =>
          enqueueMail(trx, { to: 'mina@example.com', locale: 'ko', kind: 'smtp_check', params: {} }, 1),
        );
      assert.deepEqual(await dispatcher.tick(), { claimed: 1, sent: 1, retried: 0, failed: 0 });
      assert.equal(receiver.received.length, 1);
      const mail = receiver.received[0]!;
      assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', 'mina@example.com');
      assert.equal(mail.subject, `${PLATFORM} 테스트 메일`);
      assert.match(mail.text ?? '', /테스트 메일입니다/);
      assert.ok(mail.text?.includes(PLATFORM), 'the text part names the platform');
      const html = String(mail.html);
      assert.match(html, /<html lang="ko">/);
      assert.ok(html.includes('연 &amp; &lt;Friends&gt;'), 'the platform name is escaped in HTML');
      assert.equal(html.includes('<Friends>'), false);
      assert.equal(/<img|<script|<link|url\(/i.test(html), false, 'no pixel, script or remote resource');
      const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual(links, [ISSUER], 'the only link is the platform itself, unrewritten');
      assert.equal(mail.headers.get('content-language'), 'ko');
      const row = await rowFor('mina@example.com');
      assert.equal(row.status, 'sent');
      assert.equal(row.params, '{}', 'a sent mail keeps no parameters (a one-time link) in the database');
      assert.equal(mail.messageId, `<${row.id}@id.example.com>`);
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  });

  it('a mail queued while the SMTP server is down arrives once it is back, exactly once, with the same Message-ID', async () => {
    const probe = await startSmtpReceiver();
    const port = probe.port;
    await probe.close();
    const clock = fakeClock();
    const dispatcher = dispatcherFor(`smtp://127.0.0.1:${port}`, clock);
    let receiver: Awaited<ReturnType<typeof startSmtpReceiver>> | undefined;
    try {
      await db
        .transaction()
        .execute((trx) =>
          enqueueMail(
            trx,
            { to: 'outage@example.com', locale: 'en', kind: 'smtp_check', params: {} },
            clock.now(),
          ),
        );
      assert.deepEqual(await dispatcher.tick(), { claimed: 1, sent: 0, retried: 1, failed: 0 });
      const waiting = await rowFor('outage@example.com');
      assert.equal(waiting.status, 'pending');
      assert.equal(waiting.attempts, 1);
      assert.match(String(waiting.last_error), /ECONNREFUSED|ESOCKET|ECONNECTION/);
      assert.equal(Number(waiting.next_attempt_at), clock.now() + MAIL_RETRY_SCHEDULE[0]!);

      receiver = await startSmtpReceiver({ port });
      assert.equal((await dispatcher.tick()).claimed, 0, 'not before its retry time');
      clock.advance(MAIL_RETRY_SCHEDULE[0]!);
      assert.deepEqual(await dispatcher.tick(), { claimed: 1, sent: 1, retried: 0, failed: 0 });
      clock.advance(24 * 3_600_000);
      assert.equal((await dispatcher.tick()).claimed, 0, 'a sent mail is never claimed again');
      assert.equal(receiver.received.length, 1);
      const row = await rowFor('outage@example.com');
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 2);
      assert.equal(receiver.received[0]!.messageId, `<${row.id}@id.example.com>`);
      assert.match(receiver.received[0]!.subject ?? '', /^Test mail from /);
    } finally {
      await dispatcher.stop();
      await receiver?.close();
    }
  });

  it("a mail the server refuses permanently is kept as failed with the server's reply, not retried", async () => {
    const receiver = await startSmtpReceiver({ refuse: (a) => a === 'nobody@example.com' });
    const clock = fakeClock();
    const dispatcher = dispatcherFor(receiver.url, clock);
    try {
      await enqueueMail(
        db,
        { to: 'nobody@example.com', locale: 'en', kind: 'smtp_check', params: {} },
        clock.now(),
      );
      assert.deepEqual(await dispatcher.tick(), { claimed: 1, sent: 0, retried: 0, failed: 1 });
      const row = await rowFor('nobody@example.com');
      assert.equal(row.status, 'failed');
      assert.equal(Number(row.failed_at), clock.now());
      assert.match(String(row.last_error), /550/);
      assert.match(String(row.last_error), /No such user/);
      clock.advance(48 * 3_600_000);
      assert.equal((await dispatcher.tick()).claimed, 0);
      assert.equal(receiver.received.length, 0);
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  });

  it('a mail that keeps failing is given up on after the documented schedule and kept with its error', async () => {
    const probe = await startSmtpReceiver();
    await probe.close();
    const clock = fakeClock();
    const dispatcher = dispatcherFor(`smtp://127.0.0.1:${probe.port}`, clock);
    try {
      await enqueueMail(
        db,
        { to: 'never@example.com', locale: 'en', kind: 'smtp_check', params: {} },
        clock.now(),
      );
      for (const delay of MAIL_RETRY_SCHEDULE) {
        assert.equal((await dispatcher.tick()).retried, 1);
        clock.advance(delay * 1.2);
      }
      assert.equal((await dispatcher.tick()).failed, 1);
      const row = await rowFor('never@example.com');
      assert.equal(row.status, 'failed');
      assert.equal(row.attempts, MAIL_RETRY_SCHEDULE.length + 1);
      assert.ok(row.last_error);
    } finally {
      await dispatcher.stop();
    }
  });

  it('a mail claimed by a dispatcher that died is sent by another once the lease runs out, not before', async () => {
    const receiver = await startSmtpReceiver();
    const clock = fakeClock();
    const survivor = dispatcherFor(receiver.url, clock);
    try {
      await enqueueMail(
        db,
        { to: 'crash@example.com', locale: 'en', kind: 'smtp_check', params: {} },
        clock.now(),
      );
      // The dead dispatcher got as far as its claim, then vanished without sending or recording.
      const [claimed] = await claimDueMail(db, TEST_DB, {
        now: clock.now(),
        owner: 'dead-dispatcher',
        leaseMs: 5 * 60_000,
        limit: 10,
      });
      assert.equal(claimed?.to_address, 'crash@example.com');
      assert.equal((await survivor.tick()).claimed, 0, 'leased: nobody else sends it');
      clock.advance(5 * 60_000 + 1);
      assert.deepEqual(await survivor.tick(), { claimed: 1, sent: 1, retried: 0, failed: 0 });
      assert.equal(receiver.received.length, 1);
    } finally {
      await survivor.stop();
      await receiver.close();
    }
  });

  it('sent mail is deleted after the retention period; failed mail is kept with its error', async () => {
    const now = Date.UTC(2025, 5, 1);
    await enqueueMail(db, { to: 'old-sent@example.com', locale: 'en', kind: 'smtp_check', params: {} }, now);
    await enqueueMail(
      db,
      { to: 'old-failed@example.com', locale: 'en', kind: 'smtp_check', params: {} },
      now,
    );
    await enqueueMail(db, { to: 'new-sent@example.com', locale: 'en', kind: 'smtp_check', params: {} }, now);
    const old = now - SENT_MAIL_RETENTION_MS - 1;
    const set = (to: string, values: Record<string, unknown>) =>
      db.updateTable('mail_outbox').set(values).where('to_address', '=', to).execute();
    await set('old-sent@example.com', { status: 'sent', sent_at: old });
    await set('old-failed@example.com', { status: 'failed', failed_at: old, last_error: '550 gone' });
    await set('new-sent@example.com', { status: 'sent', sent_at: now - 1000 });
    assert.equal(await purgeSentMail(db, now), 1);
    const left = await db
      .selectFrom('mail_outbox')
      .select('to_address')
      .where('to_address', 'in', ['old-sent@example.com', 'old-failed@example.com', 'new-sent@example.com'])
      .orderBy('to_address')
      .execute();
    assert.deepEqual(
      left.map((r) => r.to_address),
      ['new-sent@example.com', 'old-failed@example.com'],
    );
  });

  it('two dispatchers sharing the database send a mail once', async () => {
    const receiver = await startSmtpReceiver();
    const clock = fakeClock();
    const a = dispatcherFor(receiver.url, clock);
    const b = dispatcherFor(receiver.url, clock);
    try {
      for (let i = 0; i < 6; i++)
        await enqueueMail(
          db,
          { to: `pair${i}@example.com`, locale: 'en', kind: 'smtp_check', params: {} },
          clock.now(),
        );
      const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
      const again = await Promise.all([a.tick(), b.tick()]);
      const sent = ra.sent + rb.sent + again[0].sent + again[1].sent;
      assert.equal(sent, 6);
      assert.equal(receiver.received.length, 6);
      assert.equal(new Set(receiver.received.map((m) => m.messageId)).size, 6);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await receiver.close();
    }
  });

  it('an unknown kind, or a recipient with a line break in it (header injection), is refused and nothing is queued', async () => {
    await assert.rejects(
      enqueueMail(db, { to: 'x@example.com', locale: 'en', kind: 'no_such_kind', params: {} }, 1),
      /unknown mail kind/,
    );
    await assert.rejects(
      enqueueMail(
        db,
        { to: 'x@example.com\r\nBcc: y@example.com', locale: 'en', kind: 'smtp_check', params: {} },
        1,
      ),
      /not a mail address/,
    );
  });
});
