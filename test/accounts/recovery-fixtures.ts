/**
 * Fixtures for the recovery tests: the real app on a fresh database of the lane, an injected clock
 * (starting now, so the OAuth engine's own clock agrees), and the real mail dispatcher sending to a
 * real SMTP server on loopback (test/mail/smtp-receiver.ts). Mail leaves when a test calls
 * `deliver()`, as the dispatcher's poll would.
 */
import type { TestContext } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { fakeClock } from '../../src/lib/clock.ts';
import { createMailDispatcher } from '../../src/modules/mail/mail-dispatcher.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { TEST_DB } from '../helpers/test-db.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../mail/smtp-receiver.ts';

export const PASSWORD = 'correct horse battery';
export const NEW_PASSWORD = 'violet kettle harbour';
export const EN = { 'accept-language': 'en' };

export async function recoveryApp(t: Pick<TestContext, 'after'>, options: { smtpPort?: number } = {}) {
  const clock = fakeClock(Date.now());
  const built = await buildTestApp(t, { clock });
  const state: { receiver?: SmtpReceiver } = {};
  state.receiver = await startSmtpReceiver(options.smtpPort ? { port: options.smtpPort } : {});
  const dispatcher = createMailDispatcher({
    db: built.db,
    dbKind: TEST_DB,
    clock,
    smtpUrl: state.receiver.url,
    from: '"yeon" <no-reply@id.example.com>',
    platformName: built.config.platformName,
    issuer: built.config.issuer,
    pollMs: 50,
    random: () => 0.5,
  });
  t.after(async () => {
    await dispatcher.stop();
    await state.receiver?.close();
  });

  /** Sends what is due, then the mails received so far for `to`. */
  async function mailsTo(to: string): Promise<ParsedMail[]> {
    while ((await dispatcher.tick()).claimed > 0) {}
    return (state.receiver?.received ?? []).filter(
      (m) => m.to && !Array.isArray(m.to) && m.to.text.toLowerCase() === to.toLowerCase(),
    );
  }

  return {
    ...built,
    clock,
    dispatcher,
    mailsTo,
    /** Stops the SMTP server (an outage); `restartSmtp` brings it back on the same port. */
    async stopSmtp() {
      const port = state.receiver!.port;
      await state.receiver!.close();
      state.receiver = undefined;
      return port;
    },
    async restartSmtp(port: number) {
      state.receiver = await startSmtpReceiver({ port });
    },
    received: () => state.receiver?.received ?? [],
  };
}

/** The path and query of the first link to the platform in a mail's text part. */
export function linkIn(mail: ParsedMail | undefined, issuer: string): string {
  const m = new RegExp(`${issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/[^\\s]+\\?token=[\\w-]+)`).exec(
    mail?.text ?? '',
  );
  if (!m) throw new Error(`no link in mail: ${mail?.text}`);
  return m[1]!;
}

/** Pages differ only by their random CSRF token (and its nonce); everything else must be byte-identical. */
export function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}
