/**
 * The writes the demo needs that no service offers: removing its own two accounts, and its
 * deleted apps' rows at once, on `yeon demo reset`. Sessions, consents, connections and app memberships go with the account
 * (ON DELETE CASCADE); OAuth engine rows carry the account id without a foreign key, so they are
 * removed here explicitly, and sessions/tokens of the demo cannot outlive it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';

export async function deleteDemoAccount(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.transaction().execute(async (trx: Transaction<Database>) => {
    await trx.deleteFrom('oidc_payloads').where('account_id', '=', accountId).execute();
    await trx.deleteFrom('accounts').where('id', '=', accountId).execute();
  });
}

/**
 * A deleted demo app's row goes now rather than once its unlink notifications are delivered
 * (app-deletion.ts purgeDeletedApps): the demo's receivers are removed with it, so what it owes
 * them is dropped too. Its rows that reference the app go with it (ON DELETE CASCADE).
 */
export async function purgeDeletedDemoApp(db: Kysely<Database>, appId: number): Promise<void> {
  await db.transaction().execute(async (trx: Transaction<Database>) => {
    await trx
      .deleteFrom('notifications')
      .where('app_id', '=', appId)
      .where('status', '=', 'pending')
      .execute();
    await trx.deleteFrom('apps').where('id', '=', appId).where('deleted_at', 'is not', null).execute();
  });
}
