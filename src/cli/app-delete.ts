/**
 * `yeon app delete <app_id>`: asks the operator to type the app's name (or takes --yes), then
 * deletes the app through the apps service, as the console and the API do: every linked account
 * is unlinked with its unlink notification written in the same transaction (UNLINK_FROM_ADMIN),
 * and the app itself goes once those notifications are delivered (src/modules/apps/app-deletion.ts).
 * So that one command finishes the job, it delivers them here with the same dispatcher as
 * `yeon worker`, for up to --wait seconds; if the receiver does not take them by then, the app is
 * kept (Kakao Login off) and running the command again finishes it.
 */
import readline from 'node:readline';
import type { Command } from 'commander';
import type { AppDeletion } from '../modules/apps/app-deletion.ts';
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
  let result: AppDeletion = await s.apps.deleteApp(owner, appId);
  const unlinked = result.unlinked;
  let delivered = 0;
  if (!result.deleted) {
    const dispatcher = configuredDispatcher(s.config, s.db, stderrLogger);
    const deadline = Date.now() + waitMs;
    try {
      while (!result.deleted && Date.now() < deadline) {
        delivered += (await dispatcher.tick()).delivered;
        result = await s.apps.deleteApp(owner, appId);
        if (!result.deleted) await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await dispatcher.stop();
    }
  }
  return { app_id: appId, ...result, unlinked, notifications_delivered: delivered };
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
      else if (out.deleted)
        process.stdout.write(
          `deleted app ${appId}: unlinked ${out.unlinked} account(s), ${out.notifications_delivered} unlink notification(s) delivered\n`,
        );
      if (!out.deleted)
        throw new CliUsageError(
          `app ${appId} is not deleted yet: unlinked ${out.unlinked} account(s), but ${out.pending} unlink notification(s) still wait for delivery (is the callback paused, or its receiver down?). The app is kept with Kakao Login off; run yeon app delete again once they are delivered.`,
        );
    });
}
