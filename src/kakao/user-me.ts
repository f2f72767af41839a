/**
 * The body of `GET|POST /v2/user/me` in Kakao's exact shape (Kakao REST API "Retrieve user
 * information"), built from the account, the items the person agreed to for this app, and the app's
 * consent settings. Rules:
 * - an item the app has switched off is omitted entirely (value and `*_needs_agreement`);
 * - an item the app asks for but the person has not agreed to: `*_needs_agreement: true`, no value;
 * - an agreed item: `*_needs_agreement: false` and the value when the account has one;
 * - `property_keys` narrows `kakao_account` / `properties` (a trailing dot selects all children).
 * Pure: no I/O, so envelope tests compare it with Kakao's documented examples directly.
 */
import type { Account } from '../db/database.ts';
import { thumbnailUrlOf } from '../modules/accounts/profile-picture-urls.ts';
import { CONSENT_ITEMS, type ConsentItemId } from '../modules/apps/apps.types.ts';
import type { ProfileFields } from '../modules/connections/consent-reads.ts';
import { kakaoErrors } from './kakao-errors.ts';
import { type Params, stringArrayParam } from './params.ts';

// One list of consent items for the whole codebase: the app registry's.
export type ConsentItem = ConsentItemId;

export interface UserMeInput {
  appUserId: number;
  connectedAt: number;
  account: Pick<Account, ProfileFields>;
  /** items offered by the app (mode not 'off') */
  offered: ReadonlySet<string>;
  /** items the person agreed to and has not withdrawn */
  agreed: ReadonlySet<string>;
  propertyKeys?: string[];
  /** the app's own properties for this user (POST /v1/user/update_profile, §3.2) */
  customProperties?: Record<string, string>;
}

/** RFC 3339 without fractional seconds, as Kakao prints it: 2022-04-11T01:45:28Z */
export function kakaoDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

type Json = Record<string, unknown>;

/** kakao_account groups and the property key that selects each. */
const GROUPS: Array<{ key: string; items: ConsentItem[] }> = [
  { key: 'kakao_account.profile', items: ['profile_nickname', 'profile_image'] },
  { key: 'kakao_account.name', items: ['name'] },
  { key: 'kakao_account.email', items: ['account_email'] },
  { key: 'kakao_account.age_range', items: ['age_range'] },
  { key: 'kakao_account.birthday', items: ['birthday', 'birthyear'] },
  { key: 'kakao_account.birthyear', items: ['birthyear'] },
  { key: 'kakao_account.gender', items: ['gender'] },
  { key: 'kakao_account.phone_number', items: ['phone_number'] },
];

/** An app's own property key (POST /v1/user/update_profile, §3.2). */
export const CUSTOM_PROPERTY_KEY = /^[A-Za-z0-9_]{1,40}$/;

/**
 * The `property_keys` Kakao accepts (Kakao REST API "Retrieve user information", property_keys):
 * the kakao_account groups, the legacy `properties.*` and `has_signed_up`, and a trailing dot for
 * all children. Custom properties are selected as `properties.<key>`: yeon keeps no per-app list
 * of registered keys (update_profile takes any well-formed key), so any well-formed key is valid.
 */
const PROPERTY_KEYS = new Set([
  ...GROUPS.map((g) => g.key),
  'kakao_account.ci',
  'kakao_account.',
  'properties.',
  'properties.nickname',
  'properties.profile_image',
  'properties.thumbnail_image',
  'has_signed_up',
]);

function isPropertyKey(key: string): boolean {
  if (PROPERTY_KEYS.has(key)) return true;
  return key.startsWith('properties.') && CUSTOM_PROPERTY_KEY.test(key.slice(11));
}

/** `property_keys`: a JSON array of known keys; absent → undefined; anything else → -2 as at Kakao. */
export function propertyKeysParam(params: Params): string[] | undefined {
  const keys = stringArrayParam(params, 'property_keys');
  const unknown = keys?.find((key) => !isPropertyKey(key));
  if (unknown !== undefined) throw kakaoErrors.badParameter(`invalid property_keys. [${unknown}]`);
  return keys;
}

function selectedItems(propertyKeys: string[] | undefined): Set<ConsentItem> {
  if (!propertyKeys || propertyKeys.length === 0 || propertyKeys.includes('kakao_account.'))
    return new Set(CONSENT_ITEMS);
  const out = new Set<ConsentItem>();
  for (const group of GROUPS) if (propertyKeys.includes(group.key)) for (const i of group.items) out.add(i);
  return out;
}

/** Which `properties` keys `property_keys` selects: all without a filter or with `properties.`. */
function propertySelector(propertyKeys: string[] | undefined): (key: string) => boolean {
  if (!propertyKeys || propertyKeys.length === 0 || propertyKeys.includes('properties.')) return () => true;
  const listed = new Set(propertyKeys.filter((k) => k.startsWith('properties.')).map((k) => k.slice(11)));
  return (key) => listed.has(key);
}

export function buildUserMe(input: UserMeInput): Json {
  const { account, offered, agreed } = input;
  const selected = selectedItems(input.propertyKeys);
  const has = (item: ConsentItem) => selected.has(item) && offered.has(item);
  const ok = (item: ConsentItem) => has(item) && agreed.has(item);
  const ka: Json = {};

  if (has('profile_nickname')) ka.profile_nickname_needs_agreement = !agreed.has('profile_nickname');
  if (has('profile_image')) ka.profile_image_needs_agreement = !agreed.has('profile_image');
  if (ok('profile_nickname') || ok('profile_image')) {
    const profile: Json = {};
    if (ok('profile_nickname')) profile.nickname = account.nickname;
    if (ok('profile_image')) {
      // Kakao's examples carry is_default_nickname only beside the image fields (§3.1).
      if (ok('profile_nickname')) profile.is_default_nickname = false;
      if (account.profile_image_url) {
        // An uploaded picture has Kakao's two sizes: 110 px thumbnail, 640 px profile (§3.1).
        profile.thumbnail_image_url = thumbnailUrlOf(account.profile_image_url);
        profile.profile_image_url = account.profile_image_url;
      }
      profile.is_default_image = !account.profile_image_url;
    }
    ka.profile = profile;
  }
  if (has('name')) {
    ka.name_needs_agreement = !agreed.has('name');
    if (ok('name') && account.name) ka.name = account.name;
  }
  if (has('account_email')) {
    ka.email_needs_agreement = !agreed.has('account_email');
    if (ok('account_email')) {
      ka.is_email_valid = true;
      // Verified once the person opened the confirmation link mailed to this address; a changed
      // address is confirmed before it replaces the old one (modules/accounts/email-verification.service.ts).
      ka.is_email_verified = account.email_verified_at != null;
      ka.email = account.email;
    }
  }
  if (has('age_range')) {
    ka.age_range_needs_agreement = !agreed.has('age_range');
    if (ok('age_range') && account.age_range) ka.age_range = account.age_range;
  }
  if (has('birthyear')) {
    ka.birthyear_needs_agreement = !agreed.has('birthyear');
    if (ok('birthyear') && account.birthyear) ka.birthyear = account.birthyear;
  }
  if (has('birthday')) {
    ka.birthday_needs_agreement = !agreed.has('birthday');
    if (ok('birthday') && account.birthday) {
      ka.birthday = account.birthday;
      ka.birthday_type = 'SOLAR';
      ka.is_leap_month = false;
    }
  }
  if (has('gender')) {
    ka.gender_needs_agreement = !agreed.has('gender');
    if (ok('gender') && account.gender) ka.gender = account.gender;
  }
  if (has('phone_number')) {
    ka.phone_number_needs_agreement = !agreed.has('phone_number');
    if (ok('phone_number') && account.phone_number) ka.phone_number = account.phone_number;
  }

  const body: Json = { id: input.appUserId, connected_at: kakaoDateTime(input.connectedAt) };
  // Legacy `properties` (passport-kakao reads properties.nickname): only what was agreed, then the
  // app's custom properties (they cannot shadow the default keys: update_profile refuses those).
  const pick = propertySelector(input.propertyKeys);
  const all: Json = { ...input.customProperties };
  if (offered.has('profile_nickname') && agreed.has('profile_nickname')) all.nickname = account.nickname;
  if (offered.has('profile_image') && agreed.has('profile_image') && account.profile_image_url) {
    all.profile_image = account.profile_image_url;
    all.thumbnail_image = thumbnailUrlOf(account.profile_image_url);
  }
  const properties = Object.fromEntries(Object.entries(all).filter(([key]) => pick(key)));
  if (Object.keys(properties).length) body.properties = properties;
  body.kakao_account = ka;
  return body;
}
