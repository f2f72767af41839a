/**
 * `yeon app update <app_id> [options]`: every setting the console's pages and the management API
 * (src/http/api/v1/apps.schemas.ts) can change, through the same service methods. Options not
 * given keep their setting; a list option given replaces the whole list ("" empties it); a link
 * given as "" is removed. Each settings section is one service call that validates the whole
 * section before saving, so an invalid section saves nothing; sections run in the order below and
 * an error names the sections already saved.
 */
import { type Command, Option } from 'commander';
import { OPTIONAL_EVENTS } from '../modules/notifications/events.ts';
import { appIdFrom, CliUsageError, collect, describeAppError, onOff, ownerOf } from './app-options.ts';
import { printDetail } from './app-show.ts';
import { stepsFor, type UpdateOptions } from './app-update-steps.ts';
import { withServices } from './user.commands.ts';

export function registerAppUpdate(app: Command): void {
  app
    .command('update')
    .description(
      'change any setting the console can change; options not given keep their setting, a list option replaces the list ("" empties it)',
    )
    .argument('<app_id>', 'numeric app id')
    .option('--name <name>', 'app name')
    .option('--company <name>', 'company name ("" removes it)')
    .option('--description <text>', 'description ("" removes it)')
    .option('--icon <file>', 'app icon: a PNG or JPEG file of at most 1 MB')
    .option('--remove-icon', 'remove the app icon')
    .option('--privacy-policy-url <url>', 'privacy policy URL shown on the consent page ("" removes it)')
    .option('--terms-url <url>', 'terms of service URL shown on the consent page ("" removes it)')
    .addOption(onOff('--kakao-login <on|off>', 'Kakao Login (off: the app takes no logins)'))
    .addOption(onOff('--oidc <on|off>', 'OpenID Connect (ID tokens)'))
    .addOption(
      onOff(
        '--require-pkce <on|off>',
        'every authorization request must carry an S256 code_challenge (RFC 7636); default off, as in Kakao Login',
      ),
    )
    .addOption(
      onOff(
        '--strict-oauth <on|off>',
        'iss on authorization responses (RFC 9207), ID token only when scope has openid; default off',
      ),
    )
    .option('--redirect-uri <uri>', 'login redirect URI (repeatable; replaces the list)', collect)
    .option('--logout-redirect-uri <uri>', 'logout redirect URI (repeatable; replaces the list)', collect)
    .option(
      '--js-origin <origin>',
      'JavaScript key origin, e.g. https://shop.example (repeatable; replaces the list)',
      collect,
    )
    .addOption(onOff('--client-secret <on|off>', 'require the client secret at the token endpoint'))
    .option(
      '--consent <item=mode>',
      'consent item, e.g. account_email=optional (repeatable; modes: required, optional, during-use, off; items not given keep theirs)',
      collect,
    )
    .option(
      '--purpose-ko <item=text>',
      'why the app asks for the item, in Korean (repeatable; "item=" removes it)',
      collect,
    )
    .option(
      '--purpose-en <item=text>',
      'why the app asks for the item, in English (repeatable; "item=" removes it)',
      collect,
    )
    .option('--site-url <url>', 'web site URL (repeatable; replaces the list)', collect)
    .option('--android-package <name>', 'Android package name, e.g. com.example.app')
    .option('--android-market-url <url>', 'Android market URL (default: the Google Play page)')
    .option('--remove-android', 'remove the Android platform')
    .option('--ios-bundle-id <id>', 'iOS bundle ID, e.g. com.example.app')
    .option('--ios-store-url <url>', 'App Store URL')
    .option('--remove-ios', 'remove the iOS platform')
    .option('--unlink-url <url>', 'unlink callback URL ("" removes it)')
    .addOption(new Option('--unlink-method <method>', 'unlink callback method').choices(['GET', 'POST']))
    .addOption(new Option('--unlink-format <format>', 'unlink callback body').choices(['kakao', 'json']))
    .addOption(
      new Option('--unlink-state <state>', 'pause or resume the callback').choices(['active', 'paused']),
    )
    .option(
      '--events <list>',
      `optional events besides unlinks, comma-separated (${OPTIONAL_EVENTS.join(', ')}; JSON format only; "" for none)`,
    )
    .option('--json', 'print the app as JSON after the change')
    .action(async (appIdText: string, opts: UpdateOptions) => {
      const appId = appIdFrom(appIdText);
      const { json, ...changes } = opts;
      if (Object.values(changes).every((v) => v === undefined))
        throw new CliUsageError('nothing to change: give at least one option (see yeon app update --help)');
      const done: string[] = [];
      const detail = await withServices(async (s) => {
        const owner = await ownerOf(s, appId);
        const before = await s.apps.getAppDetail(owner, appId);
        for (const [section, run] of stepsFor(opts, s, owner, before)) {
          await run();
          if (!done.includes(section)) done.push(section);
        }
        return s.apps.getAppDetail(owner, appId);
      }).catch((err) => {
        const e = describeAppError(err);
        // Sections before the failing one were saved: say which, rather than "nothing".
        if (done.length)
          e.message = e.message.includes('nothing was saved')
            ? e.message.replace('nothing was saved', `saved only: ${done.join(', ')}`)
            : `${e.message} (saved before it: ${done.join(', ')})`;
        throw e;
      });
      process.stdout.write(json ? `${JSON.stringify(detail)}\n` : `${printDetail(detail)}\n`);
    });
}
