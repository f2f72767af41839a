/**
 * `yeon app update <app_id> [options]`: every setting the console's pages and the management API
 * (src/http/api/v1/apps.schemas.ts) can change, through the same service methods. Options not
 * given keep their setting; a list option given replaces the whole list ("" empties it); a link
 * given as "" is removed. Each settings section is one service call that validates the whole
 * section before saving, so an invalid section saves nothing; sections run in the order below and
 * an error names the sections already saved.
 */
import fs from 'node:fs';
import { type Command, Option } from 'commander';
import type { Actor, AppDetail } from '../modules/apps/apps.types.ts';
import { OPTIONAL_EVENTS } from '../modules/notifications/events.ts';
import type { Services } from '../services.ts';
import {
  appIdFrom,
  CliUsageError,
  collect,
  consentPairsFrom,
  describeAppError,
  onOff,
  ownerOf,
} from './app-options.ts';
import { printDetail } from './app-show.ts';
import { withServices } from './user.commands.ts';

type OnOff = 'on' | 'off';

export interface UpdateOptions {
  name?: string;
  company?: string;
  description?: string;
  icon?: string;
  removeIcon?: boolean;
  privacyPolicyUrl?: string;
  termsUrl?: string;
  kakaoLogin?: OnOff;
  oidc?: OnOff;
  requirePkce?: OnOff;
  strictOauth?: OnOff;
  redirectUri?: string[];
  logoutRedirectUri?: string[];
  jsOrigin?: string[];
  clientSecret?: OnOff;
  consent?: string[];
  purposeKo?: string[];
  purposeEn?: string[];
  siteUrl?: string[];
  androidPackage?: string;
  androidMarketUrl?: string;
  removeAndroid?: boolean;
  iosBundleId?: string;
  iosStoreUrl?: string;
  removeIos?: boolean;
  unlinkUrl?: string;
  unlinkMethod?: string;
  unlinkFormat?: string;
  unlinkState?: string;
  events?: string;
  json?: boolean;
}

/** A list option: absent = unchanged; "" entries dropped, so `--site-url ""` empties the list. */
const listOf = (values: string[] | undefined) => values?.filter((v) => v.trim() !== '');
const given = (...values: unknown[]) => values.some((v) => v !== undefined);

/** `ITEM=text` pairs of --purpose-ko/--purpose-en. */
function purposesFrom(flag: string, pairs: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of pairs) {
    const m = /^([^=]+)=(.*)$/s.exec(pair);
    if (!m) throw new CliUsageError(`${flag}: "${pair}" must look like ITEM=text ("ITEM=" removes it)`);
    out.set(m[1]!.trim(), m[2]!);
  }
  return out;
}

/** One step per settings section given; each is one service method, as the console's form is. */
function stepsFor(o: UpdateOptions, s: Services, actor: Actor, d: AppDetail) {
  const id = d.id;
  const steps: Array<[section: string, run: () => Promise<unknown>]> = [];
  if (o.icon !== undefined && o.removeIcon)
    throw new CliUsageError('--icon and --remove-icon exclude each other');
  if (given(o.name, o.company, o.description))
    steps.push([
      'basics',
      () =>
        s.apps.updateBasics(actor, id, {
          name: o.name ?? d.name,
          company_name: o.company ?? d.company_name,
          description: o.description ?? d.description,
          privacy_policy_url: o.privacyPolicyUrl ?? d.privacy_policy_url,
          terms_url: o.termsUrl ?? d.terms_url,
        }),
    ]);
  else if (given(o.privacyPolicyUrl, o.termsUrl))
    steps.push([
      'policy links',
      () =>
        s.apps.updatePolicyLinks(actor, id, {
          privacy_policy_url: o.privacyPolicyUrl,
          terms_url: o.termsUrl,
        }),
    ]);
  if (o.icon !== undefined) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(o.icon);
    } catch (err) {
      throw new CliUsageError(`--icon: cannot read "${o.icon}" (${(err as NodeJS.ErrnoException).code})`);
    }
    steps.push(['icon', () => s.apps.setIcon(actor, id, { bytes })]);
  }
  if (o.removeIcon) steps.push(['icon', () => s.apps.removeIcon(actor, id)]);
  const login = d.login;
  if (
    given(o.kakaoLogin, o.oidc, o.redirectUri, o.logoutRedirectUri, o.jsOrigin, o.requirePkce, o.strictOauth)
  )
    steps.push([
      'login',
      () =>
        s.apps.updateLoginSettings(actor, id, {
          kakao_login_enabled: o.kakaoLogin ? o.kakaoLogin === 'on' : login.kakao_login_enabled,
          oidc_enabled: o.oidc ? o.oidc === 'on' : login.oidc_enabled,
          redirect_uris: listOf(o.redirectUri) ?? login.redirect_uris,
          logout_redirect_uris: listOf(o.logoutRedirectUri) ?? login.logout_redirect_uris,
          javascript_origins: listOf(o.jsOrigin) ?? login.javascript_origins,
          require_pkce: o.requirePkce ? o.requirePkce === 'on' : login.require_pkce,
          strict_oauth: o.strictOauth ? o.strictOauth === 'on' : login.strict_oauth,
        }),
    ]);
  if (o.clientSecret)
    steps.push(['client secret', () => s.apps.setClientSecretEnabled(actor, id, o.clientSecret === 'on')]);
  if (given(o.consent, o.purposeKo, o.purposeEn)) {
    const modes = new Map(consentPairsFrom(o.consent).map((c) => [c.item, c.mode]));
    const ko = purposesFrom('--purpose-ko', o.purposeKo);
    const en = purposesFrom('--purpose-en', o.purposeEn);
    const items = [...new Set([...modes.keys(), ...ko.keys(), ...en.keys()])].map((item) => {
      const now = d.consent_items.find((c) => c.item === item);
      return {
        item,
        mode: modes.get(item) ?? now?.mode ?? 'off',
        purpose_ko: ko.get(item) ?? now?.purpose_ko ?? null,
        purpose_en: en.get(item) ?? now?.purpose_en ?? null,
      };
    });
    steps.push(['consent items', () => s.apps.updateConsentItems(actor, id, items)]);
  }
  const p = d.platforms;
  if (o.removeAndroid && given(o.androidPackage, o.androidMarketUrl))
    throw new CliUsageError('--remove-android excludes --android-package and --android-market-url');
  if (o.removeIos && given(o.iosBundleId, o.iosStoreUrl))
    throw new CliUsageError('--remove-ios excludes --ios-bundle-id and --ios-store-url');
  if (
    given(
      o.siteUrl,
      o.androidPackage,
      o.androidMarketUrl,
      o.removeAndroid,
      o.iosBundleId,
      o.iosStoreUrl,
      o.removeIos,
    )
  ) {
    const androidPackage = o.androidPackage ?? p.android?.package_name;
    const iosBundle = o.iosBundleId ?? p.ios?.bundle_id;
    if (o.androidMarketUrl !== undefined && !androidPackage)
      throw new CliUsageError('--android-market-url needs --android-package');
    if (o.iosStoreUrl !== undefined && !iosBundle)
      throw new CliUsageError('--ios-store-url needs --ios-bundle-id');
    steps.push([
      'platforms',
      () =>
        s.apps.updatePlatforms(actor, id, {
          site_urls: listOf(o.siteUrl) ?? p.site_urls,
          android:
            o.removeAndroid || !androidPackage
              ? null
              : {
                  package_name: androidPackage,
                  // A new package gets the default market page unless a URL is given.
                  market_url:
                    o.androidMarketUrl ??
                    (o.androidPackage === undefined ? p.android?.market_url : null) ??
                    null,
                },
          ios:
            o.removeIos || !iosBundle
              ? null
              : { bundle_id: iosBundle, app_store_url: o.iosStoreUrl ?? p.ios?.app_store_url ?? null },
        }),
    ]);
  }
  const u = d.unlink;
  if (given(o.unlinkUrl, o.unlinkMethod, o.unlinkFormat, o.unlinkState))
    steps.push([
      'unlink callback',
      () =>
        s.apps.updateUnlinkSettings(actor, id, {
          callback_url: o.unlinkUrl === undefined ? u.callback_url : o.unlinkUrl.trim() || null,
          method: o.unlinkMethod ?? u.method,
          state: o.unlinkState ?? u.state,
          format: o.unlinkFormat ?? u.format,
        }),
    ]);
  if (o.events !== undefined) {
    const events = o.events
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    steps.push(['events', () => s.notifications.setEvents(actor, id, events)]);
  }
  return steps;
}

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
