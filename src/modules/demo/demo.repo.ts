/**
 * The one write the demo needs that no service offers yet: removing its own two accounts on
 * `yeon demo reset`. Sessions, consents, connections and app memberships go with the account
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
