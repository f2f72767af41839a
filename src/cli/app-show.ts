/**
 * `yeon app show`'s text: everything `yeon app show --json` holds (the console's whole view of the
 * app), one labelled line or indented block per section, so an operator never needs --json to see
 * a setting. Times are ISO 8601 (UTC); switches are on/off; an empty setting is "-".
 */
import type { AppDetail } from '../modules/apps/apps.types.ts';

const on = (b: boolean) => (b ? 'on' : 'off');
const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
/** Labels end in a colon and are padded so values start in one column. */
const line = (label: string, value: string) => `  ${`${label}:`.padEnd(26)}${value}`.trimEnd();
const list = (values: string[]) => values.join(', ') || '-';
/** One line per entry under the label, or "-" on the label's line when there is none. */
const block = (label: string, entries: string[]) =>
  entries.length === 0 ? [line(label, '-')] : [line(label, ''), ...entries.map((e) => `    ${e}`)];

export function printDetail(d: AppDetail): string {
  const permissions = Object.entries(d.permissions).map(([k, v]) => `${k.replace(/_/g, ' ')} ${on(v)}`);
  const consent = d.consent_items.map((c) => {
    const purposes = [
      c.purpose_ko ? `purpose (ko): ${c.purpose_ko}` : '',
      c.purpose_en ? `purpose (en): ${c.purpose_en}` : '',
    ].filter(Boolean);
    return `${c.item}=${c.mode}${purposes.length ? `  ${purposes.join('; ')}` : ''}`;
  });
  const { android, ios, site_urls } = d.platforms;
  const u = d.unlink;
  return [
    `app ${d.id}: ${d.name}${d.company_name ? ` (${d.company_name})` : ''}`,
    line('company', d.company_name ?? '-'),
    line('description', d.description ?? '-'),
    line(
      'icon',
      d.icon ? `${d.icon.content_type}, ${d.icon.byte_size} bytes, updated ${iso(d.icon.updated_at)}` : '-',
    ),
    line('created', iso(d.created_at)),
    line('updated', iso(d.updated_at)),
    line('acting as', `${d.role} (${permissions.join(', ')})`),
    line('REST API key (client_id)', d.keys.rest_api),
    line('JavaScript key', d.keys.javascript),
    line('native app key', d.keys.native),
    ...block(
      'admin keys',
      d.keys.admin.map((k) => `${k.key ?? '(hidden)'}  id ${k.id}, created ${iso(k.created_at)}`),
    ),
    line('client secret', `${on(d.client_secret.enabled)} ${d.client_secret.value ?? ''}`.trimEnd()),
    `  Kakao Login ${on(d.login.kakao_login_enabled)}, OpenID Connect ${on(d.login.oidc_enabled)}`,
    `  require PKCE ${on(d.login.require_pkce)}, strict OAuth ${on(d.login.strict_oauth)}`,
    line('redirect URIs', list(d.login.redirect_uris)),
    line('logout redirect URIs', list(d.login.logout_redirect_uris)),
    line('JavaScript origins', list(d.login.javascript_origins)),
    line('privacy policy', d.privacy_policy_url ?? '-'),
    line('terms of service', d.terms_url ?? '-'),
    ...block('consent items', consent),
    line('web site URLs', list(site_urls)),
    line('Android', android ? `package ${android.package_name}, market URL ${android.market_url}` : '-'),
    line('iOS', ios ? `bundle ID ${ios.bundle_id}, App Store URL ${ios.app_store_url ?? '-'}` : '-'),
    line(
      'unlink callback',
      u.callback_url ? `${u.method} ${u.callback_url} (${u.state}, ${u.format} format)` : '-',
    ),
    ...block(
      'webhook secrets',
      u.webhook_secrets.map(
        (s) =>
          `${s.secret ?? '(hidden)'}  id ${s.id}, created ${iso(s.created_at)}, expires ${s.expires_at === null ? 'never' : iso(s.expires_at)}`,
      ),
    ),
    ...block(
      'members',
      d.members.map(
        (m) => `${m.email} (${m.nickname}): ${m.role}, account ${m.account_id}, since ${iso(m.created_at)}`,
      ),
    ),
  ].join('\n');
}
