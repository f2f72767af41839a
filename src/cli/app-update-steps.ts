/**
 * The sections `yeon app update` changes, from its options: one step per settings section given,
 * each one service method called with the section's current values merged with the options, as
 * the console's form for that section sends them.
 */
import fs from 'node:fs';
import type { Actor, AppDetail } from '../modules/apps/apps.types.ts';
import type { Services } from '../services.ts';
import { CliUsageError, consentPairsFrom } from './app-options.ts';

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
export function stepsFor(o: UpdateOptions, s: Services, actor: Actor, d: AppDetail) {
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
