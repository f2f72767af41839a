/**
 * The developer console's vocabulary: what an app looks like to the console, the API,
 * the CLI and (through the non-actor lookups) the OAuth engine. Pure types and constants only.
 */
import type { Selectable } from 'kysely';
import type { AppsTable } from '../../db/tables/apps.ts';
import type { PreviousKey } from './app-keys.types.ts';

/** Who is acting: every console/API/CLI call on an app names the account doing it. */
export interface Actor {
  accountId: string;
}

export const APP_ROLES = ['owner', 'admin', 'member'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** Consent items apps may ask for, in console order (Kakao "Consent items"). */
export const CONSENT_ITEMS = [
  'profile_nickname',
  'profile_image',
  'account_email',
  'name',
  'gender',
  'age_range',
  'birthday',
  'birthyear',
  'phone_number',
] as const;
export type ConsentItemId = (typeof CONSENT_ITEMS)[number];

/** 필수 / 선택 / 이용 중 동의 / 사용 안 함 (Kakao "Consent items"). */
export const CONSENT_MODES = ['required', 'optional', 'during_use', 'off'] as const;
export type ConsentMode = (typeof CONSENT_MODES)[number];

export const UNLINK_METHODS = ['GET', 'POST'] as const;
export type UnlinkMethod = (typeof UNLINK_METHODS)[number];
export const UNLINK_STATES = ['active', 'paused'] as const;
export type UnlinkState = (typeof UNLINK_STATES)[number];
export const UNLINK_FORMATS = ['kakao', 'json'] as const;
export type UnlinkFormat = (typeof UNLINK_FORMATS)[number];

export type AppKeyKind = 'rest_api' | 'javascript' | 'native' | 'admin';

/**
 * The app keys Kakao accepts as an OAuth `client_id` (Kakao REST API "Request authorization code";
 * the JavaScript SDK and the native SDKs send their own key). The admin key never is one.
 */
export const CLIENT_KEY_KINDS = ['rest_api', 'javascript', 'native'] as const satisfies readonly AppKeyKind[];
export type ClientKeyKind = (typeof CLIENT_KEY_KINDS)[number];

export function isClientKeyKind(kind: string): kind is ClientKeyKind {
  return (CLIENT_KEY_KINDS as readonly string[]).includes(kind);
}

export const LIMITS = {
  nameMax: 50,
  companyMax: 100,
  descriptionMax: 1000,
  urlMax: 2048,
  redirectUris: 10,
  logoutRedirectUris: 10,
  javascriptOrigins: 10,
  siteUrls: 10,
  purposeMax: 200,
  iconBytes: 1_048_576,
  liveAdminKeys: 3,
  tokenNameMax: 60,
} as const;

/** A row of `apps` as stored. */
export type AppRow = Selectable<AppsTable>;

/** What OAuth needs about a client, found by its REST API key (= `client_id`). */
export interface AppClient extends AppRow {
  rest_api_key: string;
  redirect_uris: string[];
  logout_redirect_uris: string[];
}

export interface ConsentItem {
  item: ConsentItemId;
  mode: ConsentMode;
  purpose_ko: string | null;
  purpose_en: string | null;
}

export interface AppPlatforms {
  site_urls: string[];
  android: { package_name: string; market_url: string } | null;
  ios: { bundle_id: string; app_store_url: string | null } | null;
}

export interface AppMember {
  account_id: string;
  email: string;
  nickname: string;
  role: AppRole;
  created_at: number;
}

/** What the acting account may do, so pages can hide buttons (the service still enforces). */
export interface AppPermissions {
  update: boolean;
  see_secrets: boolean;
  send_test_notification: boolean;
  manage_members: boolean;
  manage_owners: boolean;
  delete: boolean;
}

export interface AppSummary {
  id: number;
  name: string;
  company_name: string | null;
  has_icon: boolean;
  role: AppRole;
  created_at: number;
}

/**
 * The whole console view of one app. Secrets (admin keys, client secret, webhook secrets) are
 * null for roles without `see_secrets` (plain members): they can read settings, not act as the app.
 */
export interface AppDetail {
  id: number;
  name: string;
  company_name: string | null;
  description: string | null;
  privacy_policy_url: string | null;
  terms_url: string | null;
  icon: { content_type: string; byte_size: number; updated_at: number } | null;
  role: AppRole;
  permissions: AppPermissions;
  keys: {
    rest_api: string;
    javascript: string;
    native: string;
    /** Live admin keys, newest first; the first is the primary key used to sign unlink webhooks. */
    admin: Array<{ id: string; key: string | null; created_at: number }>;
    /** Reissued keys still working until their overlap ends (app-key-rotation.ts). */
    previous: PreviousKey[];
  };
  client_secret: { enabled: boolean; value: string | null };
  login: {
    kakao_login_enabled: boolean;
    oidc_enabled: boolean;
    redirect_uris: string[];
    logout_redirect_uris: string[];
    javascript_origins: string[];
    /** Every authorization request must carry an S256 code_challenge (RFC 7636); off = Kakao's optional PKCE. */
    require_pkce: boolean;
    /** `iss` on authorization responses (RFC 9207); ID token only when `openid` was asked for. */
    strict_oauth: boolean;
  };
  consent_items: ConsentItem[];
  platforms: AppPlatforms;
  unlink: {
    callback_url: string | null;
    method: UnlinkMethod;
    state: UnlinkState;
    format: UnlinkFormat;
    /** Live signing secrets, current first (then those still inside their overlap window). */
    webhook_secrets: Array<{
      id: string;
      secret: string | null;
      created_at: number;
      expires_at: number | null;
    }>;
  };
  members: AppMember[];
  created_at: number;
  updated_at: number;
}

// ---- inputs -------------------------------------------------------------------------------------

export interface BasicsInput extends PolicyLinksInput {
  name: string;
  company_name?: string | null;
  description?: string | null;
}

/** The links a consent page shows; omitted = unchanged where the input is a partial update. */
export interface PolicyLinksInput {
  privacy_policy_url?: string | null;
  terms_url?: string | null;
}

export interface LoginSettingsInput {
  kakao_login_enabled: boolean;
  oidc_enabled: boolean;
  redirect_uris: string[];
  logout_redirect_uris: string[];
  /** Omitted = unchanged. */
  javascript_origins?: string[];
  /** Omitted = unchanged (the API may leave them out; the console always sends both). */
  require_pkce?: boolean;
  strict_oauth?: boolean;
}

/** The two OAuth strictness switches alone (`yeon app update`); omitted = unchanged. */
export type OAuthStrictnessInput = Pick<LoginSettingsInput, 'require_pkce' | 'strict_oauth'>;

/** Items not listed keep their current setting. */
export type ConsentItemsInput = Array<{
  item: string;
  mode: string;
  purpose_ko?: string | null;
  purpose_en?: string | null;
}>;

export interface PlatformsInput {
  site_urls: string[];
  android?: { package_name: string; market_url?: string | null } | null;
  ios?: { bundle_id: string; app_store_url?: string | null } | null;
}

export interface UnlinkSettingsInput {
  callback_url: string | null;
  method: string;
  state: string;
  format?: string;
}

export interface IconInput {
  /** The raw bytes; the type is decided by magic bytes, never by the declared content type. */
  bytes: Uint8Array;
}

export interface CreateAppInput extends BasicsInput {
  redirect_uris?: string[];
  logout_redirect_uris?: string[];
  kakao_login_enabled?: boolean;
  oidc_enabled?: boolean;
  client_secret_enabled?: boolean;
  consent_items?: ConsentItemsInput;
  platforms?: PlatformsInput;
  unlink?: UnlinkSettingsInput;
}

/** Returned once at creation: every credential the new app has. */
export interface CreatedApp {
  app_id: number;
  rest_api_key: string;
  javascript_key: string;
  native_app_key: string;
  admin_key: string;
  client_secret: string;
  webhook_secret: string;
}

export interface TestNotificationResult {
  ok: boolean;
  /** HTTP status from the receiver, when there was a response. */
  status?: number;
  /**
   * Why it failed (refused destination, timeout, non-200…), for the console to show: an i18n key
   * (translate with `error_params`) or, from the sender, a short English reason.
   */
  error?: string;
  error_params?: Record<string, string | number>;
  duration_ms?: number;
  /** The first characters of the receiver's answer, control characters removed. */
  response_excerpt?: string;
}
