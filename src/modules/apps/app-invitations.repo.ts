/** Queries of app_invitations; every function takes `db` or a transaction. */
import type { Insertable } from 'kysely';
import type { AppInvitationsTable } from '../../db/tables/invitations.ts';
import type { Executor } from './apps.repo.ts';

export type InvitationRow = AppInvitationsTable;

export async function insertInvitation(db: Executor, row: Insertable<AppInvitationsTable>): Promise<void> {
  await db.insertInto('app_invitations').values(row).execute();
}

export async function findInvitationByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<InvitationRow | undefined> {
  return db.selectFrom('app_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findInvitationOfApp(
  db: Executor,
  appId: number,
  id: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('app_invitations')
    .selectAll()
    .where('app_id', '=', appId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Pending = not accepted, declined or revoked, and not expired at `now`; newest first. */
export async function listPendingInvitations(db: Executor, appId: number, now: number) {
  return db
    .selectFrom('app_invitations as i')
    .innerJoin('accounts as a', 'a.id', 'i.invited_by')
    .select([
      'i.id',
      'i.email',
      'i.role',
      'i.created_at',
      'i.expires_at',
      'a.nickname as invited_by_nickname',
    ])
    .where('i.app_id', '=', appId)
    .where('i.accepted_at', 'is', null)
    .where('i.declined_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .execute();
}

export async function countPendingInvitations(db: Executor, appId: number, now: number): Promise<number> {
  const row = await db
    .selectFrom('app_invitations')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('app_id', '=', appId)
    .where('accepted_at', 'is', null)
    .where('declined_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ends the pending invitations of one email to one app (a new invitation replaces them). */
export async function revokePendingFor(
  db: Executor,
  appId: number,
  emailNormalized: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('app_invitations')
    .set({ revoked_at: now })
    .where('app_id', '=', appId)
    .where('email_normalized', '=', emailNormalized)
    .where('accepted_at', 'is', null)
    .where('declined_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Ends one invitation if it is still open: the conditional UPDATE is what makes a link single
 * use, since of two concurrent accepts only one changes the row. Returns whether it did.
 */
export async function closeInvitation(
  db: Executor,
  id: string,
  changes: { accepted_at: number; accepted_by: string } | { declined_at: number } | { revoked_at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('app_invitations')
    .set(changes)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('declined_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
