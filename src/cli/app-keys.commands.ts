/**
 * `yeon app keys list|rotate|stop`: reissuing an app key with an overlap from the command line,
 * through the same service as the console and the JSON API (app-key-rotation.ts). Operators act as
 * the app's owner, as the other `yeon app` commands do.
 */
import { type Command, Option } from 'commander';
import { KEY_OVERLAPS, ROTATABLE_KEY_KINDS } from '../modules/apps/app-keys.types.ts';
import { appIdFrom, describeAppError, ownerOf } from './app-options.ts';
import { withServices } from './user.commands.ts';

function iso(ms: number | null): string {
  return ms === null ? 'current' : `works until ${new Date(ms).toISOString()}`;
}

export function registerAppKeysCommands(app: Command): void {
  const keys = app.command('keys').description("list and reissue an app's keys");

  keys
    .command('list')
    .description('the working keys: current ones, then reissued ones still in their overlap')
    .argument('<app_id>', 'numeric app id')
    .option('--json', 'print the keys as JSON')
    .action(async (appIdText: string, opts: { json?: boolean }) => {
      const appId = appIdFrom(appIdText);
      const list = await withServices(async (s) => s.apps.listAppKeys(await ownerOf(s, appId), appId)).catch(
        (err) => {
          throw describeAppError(err);
        },
      );
      if (opts.json) process.stdout.write(`${JSON.stringify(list)}\n`);
      else
        for (const k of list)
          process.stdout.write(`${k.id}  ${k.kind}  ${k.key ?? '(hidden)'}  ${iso(k.expires_at)}\n`);
    });

  keys
    .command('rotate')
    .description('issue a new key of a kind; the replaced key keeps working until the overlap ends')
    .argument('<app_id>', 'numeric app id')
    .addOption(
      new Option('--kind <kind>', 'which key').choices([...ROTATABLE_KEY_KINDS]).makeOptionMandatory(),
    )
    .addOption(
      new Option('--overlap <time>', 'how long the replaced key keeps working')
        .choices(Object.keys(KEY_OVERLAPS))
        .default('24h'),
    )
    .option('--json', 'print the new key as JSON')
    .action(async (appIdText: string, opts: { kind: string; overlap: string; json?: boolean }) => {
      const appId = appIdFrom(appIdText);
      const rotated = await withServices(async (s) =>
        s.apps.rotateAppKey(await ownerOf(s, appId), appId, { kind: opts.kind, overlap: opts.overlap }),
      ).catch((err) => {
        throw describeAppError(err);
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(rotated)}\n`);
      else
        process.stdout.write(
          `new ${rotated.kind} key: ${rotated.key}\nthe replaced key stops at ${new Date(rotated.previous_expires_at).toISOString()}\n`,
        );
    });

  keys
    .command('stop')
    .description('stop a replaced key now, before its overlap ends')
    .argument('<app_id>', 'numeric app id')
    .argument('<key_id>', 'the key id (yeon app keys list)')
    .action(async (appIdText: string, keyId: string) => {
      const appId = appIdFrom(appIdText);
      await withServices(async (s) => s.apps.stopPreviousKey(await ownerOf(s, appId), appId, keyId)).catch(
        (err) => {
          throw describeAppError(err);
        },
      );
      process.stdout.write(`stopped ${keyId}\n`);
    });
}
