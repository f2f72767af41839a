/**
 * Tables of migration 2026-12-06T0400_mail_outbox: the mail outbox. A row is written in the
 * transaction of the state change it announces and sent later by the mail dispatcher
 * (src/modules/mail/mail-dispatcher.ts), so a crash or an SMTP outage loses no mail.
 */

export type MailStatus = 'pending' | 'sent' | 'failed';

export interface MailOutboxTable {
  /** `mail_…`; the `Message-ID` is `<id@issuer host>`, so every retry carries the same one */
  id: string;
  to_address: string;
  /** 'ko' | 'en' */
  locale: string;
  /** a template kind from src/modules/mail/templates.ts */
  kind: string;
  /** the template's parameters, JSON object of strings */
  params: string;
  /** the account the mail is about, when there is one (for erasure and support) */
  account_id: string | null;
  status: MailStatus;
  /** SMTP attempts made so far */
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  created_at: number;
  sent_at: number | null;
  failed_at: number | null;
  last_attempt_at: number | null;
  /** the last SMTP error, kept when the mail is given up on (never silently dropped) */
  last_error: string | null;
}

export type MailTables = {
  mail_outbox: MailOutboxTable;
};
