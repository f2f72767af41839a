/**
 * Tables of the developer console: apps, their keys, members, redirect URIs, consent
 * items, platforms, unlink-webhook signing secrets, and developer access tokens for the JSON API.
 * Timestamps are epoch ms; booleans are 0/1; lists that are only ever read whole are JSON text.
 */
export interface AppsTable {
  /** Random safe integer (Kakao's "app ID" is numeric): a JSON number everywhere. */
  id: number;
  name: string;
  company_name: string | null;
  description: string | null;
  privacy_policy_url: string | null;
  kakao_login_enabled: number;
  oidc_enabled: number;
  /**
   * Always present, sealed (src/lib/encryption.ts); only checked when `client_secret_enabled` is 1
   * (otherwise a public client).
   */
  client_secret: string;
  client_secret_enabled: number;
  /** JSON array of origins (`https://example.com`) allowed to use the JavaScript key. */
  javascript_origins: string;
  unlink_callback_url: string | null;
  /** 'GET' | 'POST', as registered for Kakao's unlink webhook */
  unlink_method: string;
  /** 'active' | 'paused' (§1.3 disable rule) */
  unlink_state: string;
  /** 'kakao' (KakaoAK header + form/query params, §1.2) | 'json' (signed JSON body) */
  unlink_format: string;
  // Added by migration 0400:
  /** JSON array of extra events for the callback ('user.linked', 'user.scope_withdrawn'; JSON format only); null = none */
  notify_events: string | null;
  /** why the callback is paused: 'manual' | 'gone' (answered 410) | 'failing' (auto-paused); null when active */
  unlink_paused_reason: string | null;
  unlink_paused_at: number | null;
  /** first failed delivery since the last success; null while healthy */
  notify_failing_since: number | null;
  notify_last_success_at: number | null;
  // Added by migration 2026-12-05T0000 (docs/decisions/0005-kakao-first-on-the-wire.md):
  /** 1 = every authorization request must carry an S256 code_challenge (RFC 7636); Kakao: optional */
  require_pkce: number;
  /** 1 = `iss` on authorization responses (RFC 9207) and ID tokens only for `openid` requests */
  strict_oauth: number;
  // Added by migration 2026-12-06T0800: linked on the consent page beside the privacy policy.
  terms_url: string | null;
  created_at: number;
  updated_at: number;
  /** Migration 2026-12-06T1600: deleted, kept until its notifications are sent (app-deletion.ts). */
  deleted_at: number | null;
}

export interface AppIconsTable {
  app_id: number;
  /** 'image/png' | 'image/jpeg' */
  content_type: string;
  /** base64 of the image bytes: text works the same on SQLite and PostgreSQL. */
  data_base64: string;
  byte_size: number;
  updated_at: number;
}

export interface AppKeysTable {
  id: string;
  /** Client keys (public client ids) as they are; admin keys sealed (src/lib/encryption.ts). */
  key: string;
  /** SHA-256 hex of the key, unique: how a key is found (migration 2026-12-06T0100). */
  key_hash: string | null;
  app_id: number;
  /** 'rest_api' | 'javascript' | 'native' | 'admin' */
  kind: string;
  created_at: number;
  revoked_at: number | null;
  /**
   * Added by migration 2026-12-06T1200: null for a current key; for a reissued key, when it stops
   * working (app-key-rotation.ts). Live = not revoked and (no expiry or expiry still ahead).
   */
  expires_at: number | null;
}

export interface AppMembersTable {
  app_id: number;
  account_id: string;
  /** 'owner' | 'admin' | 'member' */
  role: string;
  created_at: number;
}

export interface AppRedirectUrisTable {
  app_id: number;
  /** 'login' | 'logout' */
  kind: string;
  uri: string;
  position: number;
}

export interface AppConsentItemsTable {
  app_id: number;
  /** profile_nickname | profile_image | account_email | name | gender | age_range | birthday | birthyear | phone_number */
  item: string;
  /** 'required' | 'optional' | 'during_use' | 'off' */
  mode: string;
  purpose_ko: string | null;
  purpose_en: string | null;
  updated_at: number;
}

export interface AppPlatformsTable {
  app_id: number;
  /** 'web' | 'android' | 'ios' */
  kind: string;
  /** site URL (web), package name (android) or bundle id (ios) */
  identifier: string;
  /** market URL (android) or App Store URL (ios); null for web */
  store_url: string | null;
  position: number;
}

export interface AppWebhookSecretsTable {
  id: string;
  app_id: number;
  /** `whsec_…`, sealed (src/lib/encryption.ts) */
  secret: string;
  created_at: number;
  /** null = the current secret; otherwise the end of its rotation overlap window. */
  expires_at: number | null;
}

export interface DeveloperTokensTable {
  id: string;
  account_id: string;
  name: string;
  /** sha256 of the token: a copy of the table does not hand out API access. */
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** epoch ms from which the token is refused; null: until revoked. */
  expires_at: number | null;
}

export interface AppsTables {
  apps: AppsTable;
  app_icons: AppIconsTable;
  app_keys: AppKeysTable;
  app_members: AppMembersTable;
  app_redirect_uris: AppRedirectUrisTable;
  app_consent_items: AppConsentItemsTable;
  app_platforms: AppPlatformsTable;
  app_webhook_secrets: AppWebhookSecretsTable;
  developer_tokens: DeveloperTokensTable;
}
