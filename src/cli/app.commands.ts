/**
 * `yeon app create|list|show|update|invite`: the developer console from the command line,
 * through the same apps service (and so the same validation) as the pages and the API. Invalid
 * input names the offending option, exits non-zero and saves nothing.
 */
import { type Command, Option } from 'commander';
import type { CreateAppInput } from '../modules/apps/apps.types.ts';
import { registerAppDelete } from './app-delete.ts';
import { registerAppKeysCommands } from './app-keys.commands.ts';
import {
  appIdFrom,
  CliUsageError,
  collect,
  consentPairsFrom,
  describeAppError,
  onOff,
  ownerId,
  ownerOf,
} from './app-options.ts';
import { printDetail } from './app-show.ts';
import { registerAppUpdate } from './app-update.ts';
import { withServices } from './user.commands.ts';

interface CreateOptions {
  name: string;
  owner: string;
  redirectUri: string[];
  logoutRedirectUri?: string[];
  consent?: string[];
  unlinkUrl?: string;
  unlinkMethod?: string;
  siteUrl?: string[];
  androidPackage?: string;
  androidMarketUrl?: string;
  iosBundleId?: string;
  iosStoreUrl?: string;
  clientSecret?: 'on' | 'off';
  oidc?: 'on' | 'off';
  company?: string;
  description?: string;
  privacyPolicyUrl?: string;
  json?: boolean;
}

/** Options → service input; only what the service cannot check (option syntax) is refused here. */
export function createInputFrom(opts: CreateOptions): CreateAppInput {
  const consent_items = consentPairsFrom(opts.consent);
  if (opts.unlinkMethod && !opts.unlinkUrl) throw new CliUsageError('--unlink-method needs --unlink-url');
  if ((opts.androidMarketUrl && !opts.androidPackage) || (opts.iosStoreUrl && !opts.iosBundleId))
    throw new CliUsageError(
      opts.androidMarketUrl && !opts.androidPackage
        ? '--android-market-url needs --android-package'
        : '--ios-store-url needs --ios-bundle-id',
    );
  return {
    name: opts.name,
    company_name: opts.company ?? null,
    description: opts.description ?? null,
    privacy_policy_url: opts.privacyPolicyUrl ?? null,
    redirect_uris: opts.redirectUri,
    logout_redirect_uris: opts.logoutRedirectUri ?? [],
    oidc_enabled: opts.oidc !== 'off',
    client_secret_enabled: opts.clientSecret === 'on',
    consent_items,
    platforms: {
      site_urls: opts.siteUrl ?? [],
      android: opts.androidPackage
        ? { package_name: opts.androidPackage, market_url: opts.androidMarketUrl ?? null }
        : null,
      ios: opts.iosBundleId ? { bundle_id: opts.iosBundleId, app_store_url: opts.iosStoreUrl ?? null } : null,
    },
    ...(opts.unlinkUrl
      ? { unlink: { callback_url: opts.unlinkUrl, method: opts.unlinkMethod ?? 'POST', state: 'active' } }
      : {}),
  };
}

export function registerAppCommands(program: Command): void {
  const app = program.command('app').description('manage apps (the developer console from the command line)');

  app
    .command('create')
    .description('create an app owned by an existing account and print its credentials')
    .requiredOption('--name <name>', 'app name')
    .requiredOption('--owner <email>', 'email of the account that will own the app')
    .requiredOption(
      '--redirect-uri <uri>',
      'login redirect URI (repeatable, up to 10; https except localhost)',
      collect,
    )
    .option('--logout-redirect-uri <uri>', 'logout redirect URI (repeatable)', collect)
    .option(
      '--consent <item=mode>',
      'consent item, e.g. account_email=optional (repeatable; modes: required, optional, during-use, off)',
      collect,
    )
    .option('--unlink-url <url>', 'unlink callback URL')
    .addOption(new Option('--unlink-method <method>', 'unlink callback method').choices(['GET', 'POST']))
    .option('--site-url <url>', 'web site URL (repeatable)', collect)
    .option('--android-package <name>', 'Android package name, e.g. com.example.app')
    .option('--android-market-url <url>', 'Android market URL (default: the Google Play page)')
    .option('--ios-bundle-id <id>', 'iOS bundle ID, e.g. com.example.app')
    .option('--ios-store-url <url>', 'App Store URL')
    .addOption(
      onOff('--client-secret <on|off>', 'require the client secret at the token endpoint (default off)'),
    )
    .addOption(onOff('--oidc <on|off>', 'OpenID Connect (default on)'))
    .option('--company <name>', 'company name')
    .option('--description <text>', 'description')
    .option('--privacy-policy-url <url>', 'privacy policy URL')
    .option('--json', 'print the credentials as JSON')
    .action(async (opts: CreateOptions) => {
      const input = createInputFrom(opts);
      const created = await withServices(async (s) =>
        s.apps.createApp({ accountId: await ownerId(s, opts.owner) }, input),
      ).catch((err) => {
        throw describeAppError(err);
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(created)}\n`);
      else
        process.stdout.write(
          `created app ${created.app_id}\n${Object.entries(created)
            .map(([k, v]) => `  ${k}: ${v}`)
            .join('\n')}\n`,
        );
    });

  app
    .command('list')
    .description('list apps: all of them, or those an account belongs to')
    .option('--owner <email>', 'only apps this account belongs to')
    .option('--json', 'print the apps as JSON')
    .action(async (opts: { owner?: string; json?: boolean }) => {
      const rows = await withServices(async (s) => {
        if (!opts.owner) return s.apps.listAllApps();
        const accountId = await ownerId(s, opts.owner);
        return (await s.apps.listAppsForAccount({ accountId })).map((a) => ({ ...a, owners: undefined }));
      }).catch((err) => {
        throw describeAppError(err);
      });
      const view = rows.map((r) => ({
        app_id: r.id,
        name: r.name,
        company_name: r.company_name,
        ...('role' in r ? { role: r.role } : {}),
        ...(r.owners ? { owners: r.owners } : {}),
        created_at: new Date(r.created_at).toISOString(),
      }));
      if (opts.json) process.stdout.write(`${JSON.stringify(view)}\n`);
      else if (view.length === 0) process.stdout.write('no apps\n');
      else
        for (const a of view)
          process.stdout.write(
            `${a.app_id}  ${a.name}  ${'role' in a ? a.role : (a.owners ?? []).join(', ')}\n`,
          );
    });

  app
    .command('show')
    .description('show everything about one app, including its keys and secrets')
    .argument('<app_id>', 'numeric app id')
    .option('--json', 'print the app as JSON')
    .action(async (appIdText: string, opts: { json?: boolean }) => {
      const appId = appIdFrom(appIdText);
      const detail = await withServices(async (s) =>
        s.apps.getAppDetail(await ownerOf(s, appId), appId),
      ).catch((err) => {
        throw describeAppError(err);
      });
      process.stdout.write(opts.json ? `${JSON.stringify(detail)}\n` : `${printDetail(detail)}\n`);
    });

  registerAppUpdate(app);
  registerAppDelete(app);
  registerAppKeysCommands(app);

  app
    .command('invite')
    .description(
      "invite an email to an app's team: the person joins only by accepting the printed (and mailed) link, signed in with that email",
    )
    .argument('<app_id>', 'numeric app id')
    .argument('<email>', 'the email to invite (it need not have an account yet)')
    .addOption(
      new Option('--role <role>', 'the role they get on accepting')
        .choices(['owner', 'admin', 'member'])
        .default('member'),
    )
    .option('--json', 'print the invitation as JSON')
    .action(async (appIdText: string, email: string, opts: { role: string; json?: boolean }) => {
      const appId = appIdFrom(appIdText);
      const created = await withServices(async (s) =>
        s.apps.inviteMember(
          await ownerOf(s, appId),
          appId,
          { email, role: opts.role },
          {
            locale: s.config.defaultLocale,
            siteUrl: s.config.issuer,
          },
        ),
      ).catch((err) => {
        throw describeAppError(err);
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(created)}\n`
          : `invited ${email} as ${created.role} until ${new Date(created.expires_at).toISOString()}\n  link (shown only now): ${created.url}\n`,
      );
    });
}
