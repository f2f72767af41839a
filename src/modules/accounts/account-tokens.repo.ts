/** One-time link queries. Every function takes the database or a transaction. */
import type { AccountTokenPurpose, AccountTokensTable } from '../../db/tables/recovery.ts';
import type { Executor } from './accounts.repo.ts';

export async function insertToken(db: Executor, row: AccountTokensTable): Promise<void> {
  await db.insertInto('account_tokens').values(row).execute();
}

/** The link if it is still usable: not used, not replaced, not expired. */
export async function findLiveToken(db: Executor, tokenHash: string, now: number) {
  // PostgreSQL's text refuses NUL with an error; no stored hash holds one.
  if (tokenHash.includes('\u0000')) return undefined;
  return db
    .selectFrom('account_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/**
 * Marks the link used if it still was usable; false when another request got there first. The
 * conditional update is the single-use guarantee: two clicks racing cannot both pass it.
 */
export async function consumeToken(db: Executor, tokenHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Retires every open link of these purposes: a new link replaces older ones, a change ends them. */
export async function retireTokens(
  db: Executor,
  accountId: string,
  purposes: AccountTokenPurpose[],
  now: number,
): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}

/** The newest open change-of-address link, to show "waiting for confirmation" on the account page. */
export async function pendingEmailChange(db: Executor, accountId: string, now: number) {
  return db
    .selectFrom('account_tokens')
    .select(['email', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'change_email')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function purgeOldTokens(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('account_tokens').where('expires_at', '<', before).execute();
}
