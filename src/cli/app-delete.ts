/**
 * `yeon app delete <app_id>`: asks the operator to type the app's name (or takes --yes), then
 * deletes the app through the apps service, as the console and the API do: every linked account
 * is unlinked with its unlink notification written in the same transaction (UNLINK_FROM_ADMIN),
 * and the app is gone at once; its row stays until those notifications are delivered
 * (src/modules/apps/app-deletion.ts). So that one command finishes the job, it delivers them here
 * with the same dispatcher as `yeon worker`, for up to --wait seconds, then purges the row. What
 * the receiver has not taken by then is left to the running dispatcher (`yeon serve` or
 * `yeon worker`), and the server's housekeeping purges the row after it.
 */
import readline from 'node:readline';
import type { Command } from 'commander';
import { pendingNotificationsOf, purgeDeletedApps } from '../modules/apps/app-deletion.ts';
import type { DispatcherLogger } from '../modules/notifications/dispatcher.ts';
import type { Services } from '../services.ts';
import { configuredDispatcher } from '../worker.ts';
import { appIdFrom, CliUsageError, describeAppError, ownerOf } from './app-options.ts';
import { withServices } from './user.commands.ts';

/** The dispatcher's warnings (a receiver failing) on stderr, one line each; stdout stays ours. */
const stderrLogger: DispatcherLogger = {
  info: () => {},
  warn: (obj, msg) => process.stderr.write(`yeon: ${msg ?? ''} ${JSON.stringify(obj)}\n`),
  error: (obj, msg) => process.stderr.write(`yeon: ${msg ?? ''} ${JSON.stringify(obj)}\n`),
};

/** The first line typed (or piped) on stdin; undefined when stdin ends first. */
async function firstLine(prompt: string): Promise<string | undefined> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  process.stderr.write(prompt);
  try {
    for await (const line of rl) return line;
    return undefined;
  } finally {
    rl.close();
  }
}

/** Deletes, delivering the app's waiting notifications in this process until none is left. */
async function deleteAndDeliver(s: Services, appId: number, waitMs: number) {
  const owner = await ownerOf(s, appId);
  const { unlinked, notifications_pending } = await s.apps.deleteApp(owner, appId);
  let pending = notifications_pending;
  let delivered = 0;
  if (pending > 0) {
    const dispatcher = configuredDispatcher(s.config, s.db, stderrLogger);
    const deadline = Date.now() + waitMs;
    try {
      while (pending > 0 && Date.now() < deadline) {
        delivered += (await dispatcher.tick()).delivered;
        pending = await pendingNotificationsOf(s.db, appId);
        if (pending > 0) await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await dispatcher.stop();
    }
  }
  // Removes this app's row (and any other deleted app's whose notifications are all done).
  await purgeDeletedApps(s.db, Date.now());
  const purged = !(await s.apps.findAppById(appId));
  return { app_id: appId, deleted: true, purged, unlinked, pending, notifications_delivered: delivered };
}

export function registerAppDelete(app: Command): void {
  app
    .command('delete')
    .description(
      'delete an app: unlink every linked account (the app is notified of each, UNLINK_FROM_ADMIN), then remove the app',
    )
    .argument('<app_id>', 'numeric app id')
    .option('--yes', 'do not ask to type the app name')
    .option('--wait <seconds>', 'how long to deliver the unlink notifications before giving up', '60')
    .option('--json', 'print the result as JSON')
    .action(async (appIdText: string, opts: { yes?: boolean; wait: string; json?: boolean }) => {
      const appId = appIdFrom(appIdText);
      const waitSeconds = Number(opts.wait);
      if (!/^\d+$/.test(opts.wait) || waitSeconds > 3600)
        throw new CliUsageError(`--wait: "${opts.wait}" must be a number of seconds from 0 to 3600`);
      const out = await withServices(async (s) => {
        const owner = await ownerOf(s, appId);
        const detail = await s.apps.getAppDetail(owner, appId);
        if (!opts.yes) {
          const typed = await firstLine(
            `This unlinks every account linked to app ${appId} and deletes the app.\nType its name (${detail.name}) to confirm: `,
          );
          if (typed?.trim() !== detail.name)
            throw new CliUsageError(
              `not deleted: ${typed === undefined ? 'no name was typed' : 'the name typed does not match'} (give --yes to skip the question)`,
            );
        }
        return deleteAndDeliver(s, appId, waitSeconds * 1000);
      }).catch((err) => {
        throw describeAppError(err);
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else
        process.stdout.write(
          `deleted app ${appId}: unlinked ${out.unlinked} account(s), ${out.notifications_delivered} unlink notification(s) delivered${
            out.pending
              ? `; ${out.pending} still wait for delivery (is the callback paused, or its receiver down?) and are left to the running dispatcher, which keeps the app's callback settings until they are done`
              : ''
          }\n`,
        );
    });
}
