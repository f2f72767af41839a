/**
 * What a person sees after an unlink that told an app: for each notification, whether the app
 * has been reached yet (queued, delivered, being retried, given up). Two ways in:
 *
 * - signed in, the latest unlink of one of the person's own apps (`forUnlink`): found through the
 *   person's own connection row, so another person's receipt is "not found";
 * - after account deletion there is no session and no connection row left, so the receipt is
 *   opened by a link whose token is kept only as its SHA-256 (OWASP ASVS V3.5.2) and which ends
 *   after `RECEIPT_LINK_TTL_MS`. The token is 32 random bytes (256 bits), so it cannot be guessed
 *   (OWASP ASVS V3.2.2: at least 64 bits of entropy).
 *
 * Plain values in, plain values out; the pages word the states.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { type AccountDeletionDeps, deleteAccount } from '../accounts/account-deletion.ts';

/** 30 days: long enough to come back after the last retry (≈ 3.5 days by default) and check. */
export const RECEIPT_LINK_TTL_MS = 30 * 86_400_000;

export type ReceiptState = 'queued' | 'delivered' | 'retrying' | 'failed';

export interface ReceiptEntry {
  appName: string;
  state: ReceiptState;
  /** delivery attempts made so far */
  attempts: number;
  deliveredAt: number | null;
  /** when the next attempt is due (queued or retrying) */
  nextAttemptAt: number | null;
  failedAt: number | null;
}

export interface Receipt {
  entries: ReceiptEntry[];
  /** every entry delivered or failed: nothing will change without someone acting */
  final: boolean;
}

export function receiptStateOf(row: { status: string; attempts: number }): ReceiptState {
  if (row.status === 'delivered') return 'delivered';
  if (row.status === 'failed') return 'failed';
  return row.attempts > 0 ? 'retrying' : 'queued';
}

async function receiptOf(db: Kysely<Database>, ids: readonly string[]): Promise<Receipt> {
  if (ids.length === 0) return { entries: [], final: true };
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('apps as a', 'a.id', 'n.app_id')
    .select([
      'n.id',
      'a.name',
      'n.status',
      'n.attempts',
      'n.next_attempt_at',
      'n.delivered_at',
      'n.failed_at',
    ])
    .where('n.id', 'in', ids)
    .orderBy('a.name')
    .orderBy('n.id')
    .execute();
  const entries = rows.map((r): ReceiptEntry => {
    const state = receiptStateOf({ status: r.status, attempts: Number(r.attempts) });
    return {
      appName: r.name,
      state,
      attempts: Number(r.attempts),
      deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
      nextAttemptAt: state === 'queued' || state === 'retrying' ? Number(r.next_attempt_at) : null,
      failedAt: r.failed_at === null ? null : Number(r.failed_at),
    };
  });
  return { entries, final: entries.every((e) => e.state === 'delivered' || e.state === 'failed') };
}

export function createReceiptsService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;

  /** The person's latest unlink of `appId` that told the app. @throws AppError('not_found') */
  async function forUnlink(accountId: string, appId: number): Promise<Receipt & { appId: number }> {
    const row = await db
      .selectFrom('connections')
      .select('notification_id')
      .where('account_id', '=', accountId)
      .where('app_id', '=', appId)
      .where('notification_id', 'is not', null)
      .orderBy('unlinked_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row?.notification_id) throw new AppError('not_found');
    return { ...(await receiptOf(db, [row.notification_id])), appId };
  }

  /** A new receipt link for these notifications; the token is returned once and never stored. */
  async function issueLink(notificationIds: readonly string[]) {
    const token = randomToken(32);
    const now = clock.now();
    const expiresAt = now + RECEIPT_LINK_TTL_MS;
    // Ended links are dropped as new ones are made: the table holds about 30 days of deletions.
    await db.deleteFrom('receipt_links').where('expires_at', '<=', now).execute();
    await db
      .insertInto('receipt_links')
      .values({
        token_hash: sha256(token),
        notification_ids: JSON.stringify(notificationIds),
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    return { token, expiresAt };
  }

  /** The receipt behind a link. @throws AppError('not_found') when unknown or expired */
  async function byLink(token: string): Promise<Receipt & { expiresAt: number }> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError('not_found');
    const link = await db
      .selectFrom('receipt_links')
      .select(['notification_ids', 'expires_at'])
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!link || Number(link.expires_at) <= clock.now()) throw new AppError('not_found');
    const ids = JSON.parse(link.notification_ids) as string[];
    return { ...(await receiptOf(db, ids)), expiresAt: Number(link.expires_at) };
  }

  /**
   * Account deletion, then a receipt link for the apps it told. The link is written after the
   * deletion's COMMIT: should that write fail, the account is still deleted and every app is still
   * told (the outbox rows are in the deletion's own transaction); only the page is lost.
   */
  async function deleteAccountWithReceipt(
    deletion: AccountDeletionDeps,
    input: Parameters<typeof deleteAccount>[1],
  ) {
    const result = await deleteAccount(deletion, input);
    const link = result.notificationIds.length ? await issueLink(result.notificationIds) : undefined;
    return { ...result, receiptToken: link?.token };
  }

  return { forUnlink, issueLink, byLink, deleteAccountWithReceipt };
}

export type ReceiptsService = ReturnType<typeof createReceiptsService>;
