/**
 * Trusted devices: one random token per browser, handed out at a successful sign-in and stored
 * only as its SHA-256. A trusted browser is exempt from the account-wide login block
 * (login-throttle.ts), so the owner cannot be locked out by someone guessing from elsewhere; the
 * row is read at each attempt, so removing a device takes effect at once. Queries take `db` or a
 * transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import type { DeviceLabel } from './device-label.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

/** A device unused for this long stops counting, like its cookie (which a sign-in renews). */
export const DEVICE_IDLE_MS = 365 * 86_400_000;

export interface TrustedDevice extends DeviceLabel {
  id: string;
  createdAt: number;
  lastUsedAt: number;
}

/** The live device holding this token hash, if it belongs to `accountId`. */
export async function findDevice(db: Executor, tokenHash: string, accountId: string, now: number) {
  return db
    .selectFrom('trusted_devices')
    .select(['id', 'account_id'])
    .where('token_hash', '=', tokenHash)
    .where('account_id', '=', accountId)
    .where('last_used_at', '>', now - DEVICE_IDLE_MS)
    .executeTakeFirst();
}

/** Whether the token hash is a live trusted device of the account with this normalised email. */
export async function isTrustedFor(db: Executor, tokenHash: string, emailNormalized: string, now: number) {
  const row = await db
    .selectFrom('trusted_devices as d')
    .innerJoin('accounts as a', 'a.id', 'd.account_id')
    .select('d.id')
    .where('d.token_hash', '=', tokenHash)
    .where('a.email_normalized', '=', emailNormalized)
    .where('d.last_used_at', '>', now - DEVICE_IDLE_MS)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertDevice(
  db: Executor,
  input: { tokenHash: string; accountId: string; label: DeviceLabel; now: number },
): Promise<string> {
  const id = newId('dev_');
  await db
    .insertInto('trusted_devices')
    .values({
      id,
      token_hash: input.tokenHash,
      account_id: input.accountId,
      browser: input.label.browser,
      os: input.label.os,
      created_at: input.now,
      last_used_at: input.now,
    })
    .execute();
  return id;
}

export async function touchDevice(db: Executor, id: string, label: DeviceLabel, now: number) {
  await db
    .updateTable('trusted_devices')
    .set({ last_used_at: now, browser: label.browser, os: label.os })
    .where('id', '=', id)
    .execute();
}

export async function listDevices(db: Executor, accountId: string, now: number): Promise<TrustedDevice[]> {
  const rows = await db
    .selectFrom('trusted_devices')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('last_used_at', '>', now - DEVICE_IDLE_MS)
    .orderBy('last_used_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    browser: r.browser,
    os: r.os,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** Deletes the account's devices, all or all but `keepId`; their sessions are the caller's to end. */
export async function deleteDevices(
  db: Executor,
  accountId: string,
  which: { only?: string; keepId?: string | null },
): Promise<number> {
  let q = db.deleteFrom('trusted_devices').where('account_id', '=', accountId);
  if (which.only !== undefined) q = q.where('id', '=', which.only);
  if (which.keepId) q = q.where('id', '!=', which.keepId);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function purgeIdleDevices(db: Executor, now: number): Promise<number> {
  const result = await db
    .deleteFrom('trusted_devices')
    .where('last_used_at', '<=', now - DEVICE_IDLE_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
