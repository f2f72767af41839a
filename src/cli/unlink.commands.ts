/**
 * `yeon unlink --account EMAIL --app APP_ID`: an operator unlinks one app for one account.
 * Same rules as every unlink: tokens revoked in the transaction, and an
 * UNLINK_FROM_ADMIN notification when the app has an unlink callback.
 */
import type { Command } from 'commander';
import { describeError, withServices } from './user.commands.ts';

export function registerUnlinkCommand(program: Command): void {
  program
    .command('unlink')
    .description('unlink one app from one account (the app is notified with UNLINK_FROM_ADMIN)')
    .requiredOption('--account <email>', 'email of the account')
    .requiredOption('--app <app_id>', 'id of the app')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { account: string; app: string; json?: boolean }) => {
      const appId = /^\d{1,16}$/.test(opts.app) ? Number(opts.app) : Number.NaN;
      if (!Number.isSafeInteger(appId)) throw new Error(`--app must be an app id (digits), got ${opts.app}`);
      const out = await withServices(async (s) => {
        const account = await s.accounts.getByEmail(opts.account);
        if (!account) throw new Error(`no account with the email ${opts.account}`);
        const done = await s.connections.unlink({ accountId: account.id, appId, by: 'admin' });
        return {
          account_id: account.id,
          app_id: appId,
          app_user_id: done.appUserId,
          notification_id: done.notificationId,
          referrer_type: done.notificationId ? 'UNLINK_FROM_ADMIN' : null,
        };
      }).catch((err) => {
        throw describeError(err);
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(out)}\n`
          : `unlinked app ${out.app_id} from ${opts.account} (app user id ${out.app_user_id}); ` +
              `${out.notification_id ? `notification ${out.notification_id} queued` : 'the app has no unlink callback: not notified'}\n`,
      );
    });
}
