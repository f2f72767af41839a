/**
 * The mail dispatcher's queries (the outbox's reading side), the same claim discipline as
 * notifications/delivery.repo.ts: a row is due when `status = 'pending' AND next_attempt_at <= now
 * AND (lease_until IS NULL OR lease_until < now)`. A claim sets `lease_owner` and `lease_until`; a
 * dispatcher that dies lets its lease run out and the row is due again.
 * - PostgreSQL: candidates are locked `FOR UPDATE SKIP LOCKED` and leased in the same
 *   transaction, so two dispatchers never lease the same row.
 * - SQLite: one conditional `UPDATE … WHERE <still due> RETURNING`; SQLite runs one writer at a
 *   time, so of two processes racing for a row exactly one UPDATE matches it.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DbKind } from '../../db/create-db.ts';
import type { Database } from '../../db/database.ts';
import type { MailOutboxTable } from '../../db/tables/mail.ts';
import type { Executor } from './mail-outbox.ts';

export type MailRow = Selectable<MailOutboxTable>;

export interface MailClaim {
  now: number;
  owner: string;
  leaseMs: number;
  limit: number;
}

async function dueIds(db: Executor, now: number, limit: number): Promise<string[]> {
  // `status = 'pending'` is literal so both databases can prove the partial index applies.
  const { rows } = await sql<{ id: string }>`
    select id from mail_outbox
    where status = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until < ${now})
    order by next_attempt_at, id limit ${limit}
  `.execute(db);
  return rows.map((r) => r.id);
}

/** Leases up to `limit` due mails for `owner`; returns them as leased. */
export async function claimDueMail(db: Kysely<Database>, kind: DbKind, c: MailClaim): Promise<MailRow[]> {
  if (c.limit <= 0) return [];
  const ids = await dueIds(db, c.now, c.limit);
  if (ids.length === 0) return [];
  const lease = { lease_owner: c.owner, lease_until: c.now + c.leaseMs };
  const stillDue = (q: Executor) =>
    q
      .updateTable('mail_outbox')
      .set(lease)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', c.now)]));
  if (kind === 'postgres') {
    return db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('mail_outbox')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', c.now)]))
        .forUpdate()
        .skipLocked()
        .execute();
      if (locked.length === 0) return [];
      return stillDue(trx)
        .where(
          'id',
          'in',
          locked.map((r) => r.id),
        )
        .returningAll()
        .execute();
    });
  }
  return stillDue(db).where('id', 'in', ids).returningAll().execute();
}

/**
 * Accepted by the SMTP server: sent, whoever holds the lease now (the server has it). Its
 * parameters are cleared: they may hold a one-time link (a password reset), which must not stay
 * readable in the database once it has left (OWASP ASVS V2.5.7: recovery secrets are short-lived).
 */
export async function markMailSent(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'sent',
      params: '{}',
      attempts: sql<number>`attempts + 1`,
      sent_at: now,
      last_attempt_at: now,
      last_error: null,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** A failure: try again at `nextAttemptAt`, or keep it as `failed` with its error when undefined. */
export async function markMailAttemptFailed(
  db: Executor,
  input: { id: string; owner: string; now: number; error: string; nextAttemptAt: number | undefined },
): Promise<void> {
  const { id, owner, now, error, nextAttemptAt } = input;
  await db
    .updateTable('mail_outbox')
    .set({
      attempts: sql<number>`attempts + 1`,
      last_attempt_at: now,
      last_error: error.slice(0, 1000),
      lease_owner: null,
      lease_until: null,
      ...(nextAttemptAt === undefined
        ? { status: 'failed', failed_at: now }
        : { next_attempt_at: nextAttemptAt }),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner)
    .execute();
}

/** How long a sent mail's row (address, kind, time) stays for support questions. */
export const SENT_MAIL_RETENTION_MS = 30 * 86_400_000;

/**
 * Deletes sent mail older than the retention (housekeeping in `yeon serve`). Mail that failed is
 * kept, with its error, until someone looks at it. @returns how many rows went
 */
export async function purgeSentMail(db: Executor, now: number): Promise<number> {
  const result = await db
    .deleteFrom('mail_outbox')
    .where('status', '=', 'sent')
    .where('sent_at', '<', now - SENT_MAIL_RETENTION_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
