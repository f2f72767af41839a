/**
 * Account deletion: after the password is checked again, ONE transaction unlinks every
 * live link (`by: 'account_delete'` → an ACCOUNT_DELETE notification for each app with an unlink
 * callback, revoking that app's tokens), deletes every OAuth row of the account, and deletes the
 * account row for real (no soft delete): sessions, links, consents, app user ids, developer
 * memberships and tokens go with it by ON DELETE CASCADE. The outbox rows carry only the app user
 * id (no personal data), so they stay until delivered (the outbox's promise: the app is told).
 *
 * Developer memberships: an app must keep an owner, so deletion is refused while the
 * person is the only owner of an app; they hand it over or delete it in the console first. Being a
 * co-owner, admin or member simply ends with the account.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError, validationError } from '../../errors/catalogue.ts';
import type { ConnectionsService } from '../connections/connections.service.ts';
import type { AccountsService } from './accounts.service.ts';

export interface AccountDeletionDeps {
  db: Kysely<Database>;
  accounts: AccountsService;
  connections: ConnectionsService;
}

export interface DeletionResult {
  unlinkedApps: number[];
  /** ids of the ACCOUNT_DELETE outbox rows written */
  notificationIds: string[];
}

/** Apps where this account is the only owner (deleting it would leave them ownerless). */
export async function appsOnlyOwnedBy(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('app_members as m')
    .innerJoin('apps as a', 'a.id', 'm.app_id')
    .select(['a.id', 'a.name'])
    .where('m.account_id', '=', accountId)
    .where('m.role', '=', 'owner')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('app_members as o')
            .select('o.app_id')
            .whereRef('o.app_id', '=', 'm.app_id')
            .where('o.role', '=', 'owner')
            .where('o.account_id', '!=', accountId),
        ),
      ),
    )
    .orderBy('a.name')
    .execute();
}

/**
 * @throws AppError('validation_failed') when the confirmation is missing,
 *   AppError('invalid_credentials' | 'login_throttled') for the password (same throttle as login),
 *   AppError('account_sole_owner') while the person is an app's only owner.
 */
export async function deleteAccount(
  deps: AccountDeletionDeps,
  input: { accountId: string; password: string; confirmed: boolean; ip: string; trustedDevice: boolean },
): Promise<DeletionResult> {
  const { db, accounts, connections } = deps;
  if (!input.confirmed)
    throw validationError([{ field: 'confirm', message: 'connected.delete.confirm_required' }]);
  const account = await accounts.getById(input.accountId);
  if (!account) throw new AppError('not_found');
  // Through the login throttle: this form must not become a way around it to guess passwords.
  await accounts.authenticate({
    email: account.email,
    password: input.password,
    ip: input.ip,
    trustedDevice: input.trustedDevice,
  });
  return db.transaction().execute(async (trx) => {
    // Checked in the deleting transaction, as close to the delete as it gets.
    const owned = await appsOnlyOwnedBy(trx, account.id);
    if (owned.length)
      throw new AppError('account_sole_owner', { params: { apps: owned.map((a) => a.name).join(', ') } });
    const live = await trx
      .selectFrom('connections')
      .select('app_id')
      .where('account_id', '=', account.id)
      .where('status', '=', 'linked')
      .execute();
    const result: DeletionResult = { unlinkedApps: [], notificationIds: [] };
    for (const { app_id } of live) {
      const done = await connections.unlinkWithin(trx, {
        accountId: account.id,
        appId: app_id,
        by: 'account_delete',
      });
      result.unlinkedApps.push(app_id);
      if (done.notificationId) result.notificationIds.push(done.notificationId);
    }
    // Every OAuth row of the account (grants, tokens, codes, provider sessions), at every client.
    await trx.deleteFrom('oidc_payloads').where('account_id', '=', account.id).execute();
    // Throttle rows name the email: personal data too.
    // substr, not LIKE: an email may contain LIKE's wildcards (a_b@…).
    const pair = `pair:${account.email_normalized}|`;
    await trx
      .deleteFrom('login_throttle')
      .where((eb) =>
        eb.or([
          eb('key', '=', `acct:${account.email_normalized}`),
          eb(sql<string>`substr(${sql.ref('key')}, 1, ${sql.lit(pair.length)})`, '=', pair),
        ]),
      )
      .execute();
    // The cascade erases sessions, connections, consents, properties, app user ids, memberships.
    await trx.deleteFrom('accounts').where('id', '=', account.id).execute();
    return result;
  });
}
