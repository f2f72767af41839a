/**
 * The development mailbox: `yeon serve` (startServer) outside production without YEON_SMTP_URL
 * catches every mail on a loopback SMTP server and shows it at /dev/mailbox, over real HTTP, with
 * the text part and the HTML part in a sandboxed frame. In production the path does not exist.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { startDevMailbox } from '../../src/modules/mail/dev-mailbox.ts';
import { enqueueMail } from '../../src/modules/mail/mail-outbox.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { laneEnv, start, waitForOutput } from '../cli/cli-process.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

async function serve(t: { after(fn: () => Promise<void>): void }, env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-mailbox-'));
  const testDb = await createTestDatabase({ sqliteFile: path.join(dataDir, 'yeon.db') });
  const server = await startServer({
    YEON_HOST: '127.0.0.1',
    YEON_PORT: '0',
    YEON_LOG_LEVEL: 'silent',
    YEON_DATA_DIR: dataDir,
    YEON_NOTIFY_POLL_MS: '60000',
    ...testDb.env,
    ...env,
  });
  t.after(async () => {
    await server.close();
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const port = (server.app.server.address() as { port: number }).port;
  return { server, base: `http://127.0.0.1:${port}`, dataDir };
}

/** Reads /dev/mailbox until `subject` is listed (the mail leaves on the commit signal, not a poll). */
async function waitForListed(base: string, subject: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const page = await (await fetch(`${base}/dev/mailbox`)).text();
    if (page.includes(subject)) return page;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`"${subject}" never reached /dev/mailbox`);
}

async function queue(server: RunningServer, to: string, locale: 'ko' | 'en') {
  await server.db
    .transaction()
    .execute((trx) => enqueueMail(trx, { to, locale, kind: 'smtp_check', params: {} }, Date.now()));
  server.app.services.mailSignal.committed();
}

describe('development mailbox', () => {
  it('in development without YEON_SMTP_URL, a queued mail shows at /dev/mailbox with its text and its HTML in a sandboxed frame', async (t) => {
    const { server, base, dataDir } = await serve(t, {
      YEON_ENV: 'development',
      YEON_PLATFORM_NAME: 'Yeon <Dev>',
    });
    assert.ok(server.devMailbox, 'the mailbox started');
    const empty = await fetch(`${base}/dev/mailbox`, { headers: { 'accept-language': 'en' } });
    assert.equal(empty.status, 200);
    assert.match(await empty.text(), /No mail yet/);

    await queue(server, 'mina@example.com', 'en');
    const list = await waitForListed(base, 'Test mail from Yeon &lt;Dev&gt;');
    assert.match(list, /mina@example\.com/);
    const id = /href="\/dev\/mailbox\/([0-9a-f]+)"/.exec(list)?.[1];
    assert.ok(id, 'the list links the message');

    const view = await fetch(`${base}/dev/mailbox/${id}`);
    assert.equal(view.status, 200);
    const html = await view.text();
    assert.match(html, /Mail delivery works/, 'the text part is shown');
    assert.match(
      html,
      /<iframe[^>]*sandbox=""[^>]*srcdoc="[^"]*&lt;html lang=&quot;en&quot;&gt;/s,
      'the HTML part, escaped into a sandboxed srcdoc',
    );
    assert.equal(
      html.includes('<html lang="en"><head><meta charset="utf-8"><title>'),
      false,
      'never inlined as markup',
    );
    assert.match(String(view.headers.get('content-security-policy')), /script-src 'self'/);

    const row = await server.db.selectFrom('mail_outbox').select(['status', 'id']).executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.match(html, new RegExp(`&lt;${row.id}@localhost&gt;`), 'the Message-ID is shown');
    assert.ok(
      fs.existsSync(path.join(dataDir, 'dev-mailbox.json')),
      'kept in the data folder across restarts',
    );

    assert.equal((await fetch(`${base}/dev/mailbox/0000`)).status, 404);
  });

  it('the mailbox keeps only the newest messages, up to its limit, and keeps them across a restart', async (t) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-mailbox-'));
    t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const first = await startDevMailbox({ dataDir, limit: 3 });
    const transport = nodemailer.createTransport({ url: first.smtpUrl });
    try {
      for (let i = 1; i <= 5; i++)
        await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: `n${i}`, text: 'x' });
    } finally {
      transport.close();
      await first.close();
    }
    assert.deepEqual(
      first.list().map((m) => m.subject),
      ['n5', 'n4', 'n3'],
    );
    const again = await startDevMailbox({ dataDir, limit: 3 });
    t.after(() => again.close());
    assert.deepEqual(
      again.list().map((m) => m.subject),
      ['n5', 'n4', 'n3'],
    );
  });

  it('yeon serve without YEON_SMTP_URL says where the development mailbox is, and serves it there', async (t) => {
    const { env } = await laneEnv(t);
    const proc = start(['serve'], { ...env, YEON_HOST: '127.0.0.1', YEON_PORT: '0', YEON_LOG_LEVEL: 'info' });
    t.after(async () => {
      proc.child.kill('SIGTERM');
      await proc.exited;
    });
    const url = await waitForOutput(
      proc,
      (out) => /development mailbox at (http:\/\/\S+\/dev\/mailbox)/.exec(out)?.[1],
    );
    const page = await fetch(url.replace('localhost', '127.0.0.1'));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /id="mailbox"|No mail yet|아직 받은 메일이 없습니다/);
  });

  it('in production /dev/mailbox answers 404 and no mailbox is started', async (t) => {
    const { server, base } = await serve(t, {
      YEON_ENV: 'production',
      YEON_ISSUER: 'https://id.example.com',
      YEON_COOKIE_SECRET: 'Vq3n8Zr1-Lk0pWx7_Ty5Bc2Md9Fs4Gh6J',
      YEON_METRICS_TOKEN: 'metrics-token-0123456789abcdefghijKLMN',
      YEON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      YEON_SMTP_URL: 'smtp://127.0.0.1:9',
    });
    assert.equal(server.devMailbox, undefined);
    assert.equal((await fetch(`${base}/dev/mailbox`)).status, 404);
    assert.equal((await fetch(`${base}/dev/mailbox/anything`)).status, 404);
  });
});
