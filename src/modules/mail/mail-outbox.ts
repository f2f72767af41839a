/**
 * The mail outbox: `enqueueMail` writes a message inside the transaction of the state change it
 * announces (the transactional outbox, like notifications/outbox.repo.ts), so a mail exists if
 * and only if that change committed, and a crash or an SMTP outage after the COMMIT loses nothing.
 * The mail dispatcher (mail-dispatcher.ts) sends it later, with retries under a lease.
 *
 * How to send a mail from a service:
 *
 *   await db.transaction().execute(async (trx) => {
 *     ... the state change ...
 *     await enqueueMail(trx, { to, locale, kind: 'password_reset', params: { url }, accountId }, now);
 *   });
 *   mailCommitted(); // services.mailSignal.committed, wired in src/services.ts
 *
 * Calling `mailCommitted()` after the COMMIT wakes this process's sender, so the mail leaves within
 * milliseconds instead of at the next poll; never call it before the COMMIT (the sender would find
 * nothing yet). Forgetting it costs latency only, never the mail.
 *
 * `kind` is a template from templates.ts; an unknown kind or a missing parameter throws inside
 * the transaction, so the state change rolls back with it instead of committing a mail that can
 * never be rendered. Rendering itself happens at send time, in `locale`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Locale } from '../../i18n/locale.ts';
import { newId } from '../../lib/ids.ts';
import { hasControlChars } from '../../lib/text.ts';
import { assertRenderable } from './templates.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface NewMail {
  to: string;
  locale: Locale;
  kind: string;
  params: Record<string, string>;
  /** the account the mail is about, when there is one */
  accountId?: string;
}

/**
 * Queues one mail in `db` (pass the state change's transaction).
 * @throws Error for an unknown kind, a missing parameter or a recipient with control characters
 */
export async function enqueueMail(db: Executor, mail: NewMail, now: number): Promise<void> {
  assertRenderable(mail.kind, mail.params);
  // A line break in an address would be a header injection (RFC 5322 §2.2: header fields are lines).
  if (!mail.to.includes('@') || hasControlChars(mail.to)) throw new Error('not a mail address');
  await db
    .insertInto('mail_outbox')
    .values({
      id: newId('mail_'),
      to_address: mail.to,
      locale: mail.locale,
      kind: mail.kind,
      params: JSON.stringify(mail.params),
      account_id: mail.accountId ?? null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      lease_owner: null,
      created_at: now,
      sent_at: null,
      failed_at: null,
      last_attempt_at: null,
      last_error: null,
    })
    .execute();
}
