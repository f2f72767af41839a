/**
 * Validation of every console field. Each parser is pure and returns clean values or
 * field issues naming the offending value; the service saves nothing when any issue is found.
 * Issue `field` names are the input's own keys (`redirect_uris`, `android.package_name`, …).
 */
import type { FieldIssue } from '../../errors/catalogue.ts';
import { hasControlChars } from '../../lib/text.ts';
import {
  type AppPlatforms,
  type BasicsInput,
  CONSENT_ITEMS,
  CONSENT_MODES,
  type ConsentItem,
  type ConsentItemId,
  type ConsentItemsInput,
  type ConsentMode,
  LIMITS,
  type PlatformsInput,
  type PolicyLinksInput,
  UNLINK_FORMATS,
  UNLINK_METHODS,
  UNLINK_STATES,
  type UnlinkFormat,
  type UnlinkMethod,
  type UnlinkSettingsInput,
  type UnlinkState,
} from './apps.types.ts';

type Parsed<T> = { value: T; issues: FieldIssue[] };

/** Where yeon runs (config `YEON_ENV`), passed in by the apps service: production refuses plain http. */
export interface UrlRules {
  production: boolean;
  /**
   * A measurement run (config `loopbackMeasurement`, npm run bench): production mode whose unlink
   * callbacks may be plain http on a loopback host, where nothing leaves the machine.
   */
  loopbackCallbacks?: boolean;
}

/**
 * Hosts a redirect URI may use over plain http: a native app receives the code on a loopback
 * port it opens (RFC 8252 §7.3, any port), and localhost, which Kakao's console also accepts.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an app URL stored as `kind` must not be used in production: anything over plain http,
 * except a loopback redirect URI (RFC 8252 §7.3). Over http a code, an unlink notification and
 * its admin key travel in clear (RFC 6749 §3.1.2.1, §10.5). Custom schemes of native apps
 * (`kakao{NATIVE_APP_KEY}://oauth`, RFC 8252 §7.1) are not http and pass.
 */
export function plainHttpInProduction(
  kind: 'redirect_uri' | 'unlink_callback_url',
  value: string,
  rules: Pick<UrlRules, 'loopbackCallbacks'> = {},
): boolean {
  const url = parseUrl(value);
  if (url?.protocol !== 'http:') return false;
  if (!LOOPBACK_HOSTS.has(url.hostname)) return true;
  return kind === 'unlink_callback_url' && !rules.loopbackCallbacks;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function blankToNull(v: string | null | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
}

/** Too long, or holding control characters (lib/text.ts); `multiline` keeps tab, LF and CR. */
function textIssue(field: string, value: string | null, max: number, multiline = false): FieldIssue[] {
  if (value === null) return [];
  if (value.length > max) return [{ field, message: 'validation.too_long', params: { max } }];
  if (hasControlChars(value, { multiline })) return [{ field, message: 'validation.invalid' }];
  return [];
}

/** An absolute http(s) URL without credentials or fragment; https unless `allowHttp`. */
function urlIssue(
  field: string,
  raw: string,
  options: { httpOnLoopback?: boolean; allowHttp?: boolean } = {},
): FieldIssue | undefined {
  const value = raw;
  const url = parseUrl(value);
  if (
    !url ||
    // The URL parser drops tabs and newlines and escapes the rest: refuse them before it does.
    hasControlChars(value) ||
    value.length > LIMITS.urlMax ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    !url.hostname
  )
    return { field, message: 'apps.validation.url_invalid', params: { value } };
  if (url.username || url.password)
    return { field, message: 'apps.validation.url_credentials', params: { value } };
  if (url.hash || value.includes('#'))
    return { field, message: 'apps.validation.url_fragment', params: { value } };
  if (
    url.protocol === 'http:' &&
    !options.allowHttp &&
    !(options.httpOnLoopback && LOOPBACK_HOSTS.has(url.hostname))
  )
    return { field, message: 'apps.validation.https_required', params: { value } };
  return undefined;
}

/**
 * A list of URLs, trimmed, empty lines dropped: at most `max`, no duplicates (exact match, since
 * redirect URIs are compared exactly: RFC 6749 §3.1.2.3, Kakao REST API "Get authorization code").
 */
export function parseUrlList(
  field: string,
  raw: readonly string[],
  max: number,
  check: (value: string) => FieldIssue | undefined,
): Parsed<string[]> {
  const value = raw.map((s) => s.trim()).filter((s) => s !== '');
  const issues: FieldIssue[] = [];
  if (value.length > max) issues.push({ field, message: 'apps.validation.too_many', params: { max } });
  const seen = new Set<string>();
  for (const v of value) {
    if (seen.has(v)) issues.push({ field, message: 'apps.validation.duplicate', params: { value: v } });
    seen.add(v);
    const issue = check(v);
    if (issue) issues.push(issue);
  }
  return { value, issues };
}

/** Redirect and logout redirect URIs: https, or http on localhost/127.0.0.1/[::1]. */
export function parseRedirectUris(field: string, raw: readonly string[], max: number): Parsed<string[]> {
  return parseUrlList(field, raw, max, (v) => urlIssue(field, v, { httpOnLoopback: true }));
}

/** JavaScript origins: scheme://host[:port] only, same https rule as redirect URIs. */
export function parseOrigins(field: string, raw: readonly string[]): Parsed<string[]> {
  const normalized = raw.map((s) => s.trim().replace(/\/$/, ''));
  return parseUrlList(field, normalized, LIMITS.javascriptOrigins, (v) => {
    const issue = urlIssue(field, v, { httpOnLoopback: true });
    if (issue) return issue;
    const url = new URL(v);
    if (url.origin !== v) return { field, message: 'apps.validation.origin_invalid', params: { value: v } };
    return undefined;
  });
}

/**
 * The privacy policy and terms links a consent page shows (blank = none): absolute http(s) URLs, so
 * `javascript:` and `data:` never reach an href; plain http only outside production, like the other
 * pages an app links people to (OWASP ASVS V5.1.4: allow-listed URL schemes).
 */
export function parsePolicyLinks(
  input: PolicyLinksInput,
  rules: UrlRules = { production: false },
): Parsed<Partial<Record<keyof PolicyLinksInput, string | null>>> {
  const value: Partial<Record<keyof PolicyLinksInput, string | null>> = {};
  const issues: FieldIssue[] = [];
  for (const field of ['privacy_policy_url', 'terms_url'] as const) {
    if (input[field] === undefined) continue;
    const url = blankToNull(input[field]);
    value[field] = url;
    if (!url) continue;
    const issue =
      urlIssue(field, url, { allowHttp: true }) ??
      (rules.production && parseUrl(url)?.protocol === 'http:'
        ? { field, message: 'apps.validation.https_required_in_production', params: { value: url } }
        : undefined);
    if (issue) issues.push(issue);
  }
  return { value, issues };
}

export function parseBasics(
  input: BasicsInput,
  rules: UrlRules = { production: false },
): Parsed<Required<BasicsInput>> {
  const name = (input.name ?? '').trim();
  const company_name = blankToNull(input.company_name);
  const description = blankToNull(input.description);
  const links = parsePolicyLinks(
    { privacy_policy_url: input.privacy_policy_url ?? null, terms_url: input.terms_url ?? null },
    rules,
  );
  const issues: FieldIssue[] = [];
  if (!name) issues.push({ field: 'name', message: 'validation.required' });
  issues.push(...textIssue('name', name, LIMITS.nameMax));
  issues.push(...textIssue('company_name', company_name, LIMITS.companyMax));
  issues.push(...textIssue('description', description, LIMITS.descriptionMax, true));
  issues.push(...links.issues);
  const privacy_policy_url = links.value.privacy_policy_url ?? null;
  const terms_url = links.value.terms_url ?? null;
  return { value: { name, company_name, description, privacy_policy_url, terms_url }, issues };
}

function oneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

/** Accepts `during-use` as well as `during_use` (the CLI's spelling). */
export function normalizeConsentMode(mode: string): string {
  return mode.trim().toLowerCase().replace(/-/g, '_');
}

export function parseConsentItems(input: ConsentItemsInput): Parsed<ConsentItem[]> {
  const issues: FieldIssue[] = [];
  const value: ConsentItem[] = [];
  const seen = new Set<string>();
  for (const entry of input) {
    const item = (entry.item ?? '').trim();
    const mode = normalizeConsentMode(entry.mode ?? '');
    const field = `consent_items.${item || '?'}`;
    if (!oneOf(CONSENT_ITEMS, item)) {
      issues.push({
        field: 'consent_items',
        message: 'apps.validation.consent_item_unknown',
        params: { value: item, allowed: CONSENT_ITEMS.join(', ') },
      });
      continue;
    }
    if (seen.has(item))
      issues.push({ field: 'consent_items', message: 'apps.validation.duplicate', params: { value: item } });
    seen.add(item);
    if (!oneOf(CONSENT_MODES, mode))
      issues.push({
        field,
        message: 'apps.validation.consent_mode_invalid',
        params: { value: entry.mode ?? '' },
      });
    const purpose_ko = blankToNull(entry.purpose_ko);
    const purpose_en = blankToNull(entry.purpose_en);
    issues.push(...textIssue(`${field}.purpose_ko`, purpose_ko, LIMITS.purposeMax));
    issues.push(...textIssue(`${field}.purpose_en`, purpose_en, LIMITS.purposeMax));
    value.push({ item: item as ConsentItemId, mode: mode as ConsentMode, purpose_ko, purpose_en });
  }
  return { value, issues };
}

// Java package names and Apple bundle ids: dot-separated segments (at least two).
const ANDROID_PACKAGE_RE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
const IOS_BUNDLE_RE = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function parsePlatforms(input: PlatformsInput): Parsed<AppPlatforms> {
  const sites = parseRedirectUris('site_urls', input.site_urls ?? [], LIMITS.siteUrls);
  const issues = [...sites.issues];
  let android: AppPlatforms['android'] = null;
  const pkg = blankToNull(input.android?.package_name);
  if (pkg) {
    if (pkg.length > 255 || !ANDROID_PACKAGE_RE.test(pkg))
      issues.push({
        field: 'android.package_name',
        message: 'apps.validation.package_invalid',
        params: { value: pkg },
      });
    const market =
      blankToNull(input.android?.market_url) ?? `https://play.google.com/store/apps/details?id=${pkg}`;
    // Kakao's console default is a market:// link; https store links work everywhere else.
    if (!/^market:\/\/details\?id=[\w.]+$/.test(market)) {
      const issue = urlIssue('android.market_url', market);
      if (issue) issues.push(issue);
    }
    android = { package_name: pkg, market_url: market };
  } else if (blankToNull(input.android?.market_url)) {
    issues.push({ field: 'android.package_name', message: 'validation.required' });
  }
  let ios: AppPlatforms['ios'] = null;
  const bundle = blankToNull(input.ios?.bundle_id);
  if (bundle) {
    if (bundle.length > 255 || !IOS_BUNDLE_RE.test(bundle))
      issues.push({
        field: 'ios.bundle_id',
        message: 'apps.validation.bundle_id_invalid',
        params: { value: bundle },
      });
    const store = blankToNull(input.ios?.app_store_url);
    if (store) {
      const issue = urlIssue('ios.app_store_url', store);
      if (issue) issues.push(issue);
    }
    ios = { bundle_id: bundle, app_store_url: store };
  } else if (blankToNull(input.ios?.app_store_url)) {
    issues.push({ field: 'ios.bundle_id', message: 'validation.required' });
  }
  return { value: { site_urls: sites.value, android, ios }, issues };
}

export interface UnlinkSettings {
  callback_url: string | null;
  method: UnlinkMethod;
  state: UnlinkState;
  format: UnlinkFormat;
}

/**
 * Format checks only; whether the destination may be reached is the SSRF guard's call. Plain http
 * is accepted outside production (local receivers while developing), refused in production.
 */
export function parseUnlinkSettings(
  input: UnlinkSettingsInput,
  current?: UnlinkSettings,
  rules: UrlRules = { production: false },
): Parsed<UnlinkSettings> {
  const issues: FieldIssue[] = [];
  const callback_url = blankToNull(input.callback_url);
  if (callback_url) {
    const issue =
      urlIssue('callback_url', callback_url, { allowHttp: true }) ??
      (rules.production && plainHttpInProduction('unlink_callback_url', callback_url, rules)
        ? {
            field: 'callback_url',
            message: 'apps.validation.https_required_in_production',
            params: { value: callback_url },
          }
        : undefined);
    if (issue) issues.push(issue);
  }
  const method = (input.method ?? '').trim().toUpperCase();
  if (!oneOf(UNLINK_METHODS, method))
    issues.push({
      field: 'method',
      message: 'apps.validation.unlink_method_invalid',
      params: { value: input.method ?? '' },
    });
  const state = (input.state ?? '').trim().toLowerCase();
  if (!oneOf(UNLINK_STATES, state))
    issues.push({
      field: 'state',
      message: 'apps.validation.unlink_state_invalid',
      params: { value: input.state ?? '' },
    });
  const format = (input.format ?? current?.format ?? 'kakao').trim().toLowerCase();
  if (!oneOf(UNLINK_FORMATS, format))
    issues.push({
      field: 'format',
      message: 'apps.validation.unlink_format_invalid',
      params: { value: input.format ?? '' },
    });
  return {
    value: {
      callback_url,
      method: method as UnlinkMethod,
      state: state as UnlinkState,
      format: format as UnlinkFormat,
    },
    issues,
  };
}

/** PNG or JPEG by magic bytes, at most 1 MB. */
export function parseIcon(bytes: Uint8Array): Parsed<{ content_type: 'image/png' | 'image/jpeg' }> {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const jpeg = [0xff, 0xd8, 0xff];
  const startsWith = (sig: number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  const issues: FieldIssue[] = [];
  if (bytes.length === 0) issues.push({ field: 'icon', message: 'validation.required' });
  else if (bytes.length > LIMITS.iconBytes)
    issues.push({ field: 'icon', message: 'apps.validation.icon_too_large', params: { max: '1 MB' } });
  const content_type = startsWith(png) ? 'image/png' : 'image/jpeg';
  if (bytes.length > 0 && !startsWith(png) && !startsWith(jpeg))
    issues.push({ field: 'icon', message: 'apps.validation.icon_type' });
  return { value: { content_type }, issues };
}

export function parseRole(field: string, role: string): Parsed<string> {
  const value = (role ?? '').trim().toLowerCase();
  const ok = value === 'owner' || value === 'admin' || value === 'member';
  return {
    value,
    issues: ok ? [] : [{ field, message: 'apps.validation.role_invalid', params: { value: role } }],
  };
}
