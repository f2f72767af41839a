/**
 * `GET /v2/user/scopes` and `POST /v2/user/revoke/scopes` bodies (Kakao REST API "Retrieve consent
 * details", "Revoke consent"): every item the app uses, plus items agreed earlier that the app no
 * longer uses (`using: false`); `revocable` only on agreed items, and only optional/during-use
 * items are revocable.
 */

import { CONSENT_ITEMS } from '../modules/apps/apps.types.ts';
import { type ConsentMode, isOffered, isRevocable } from '../modules/connections/consent-state.ts';

const DISPLAY_NAMES: Record<string, { en: string; ko: string }> = {
  profile_nickname: { en: 'Nickname', ko: '닉네임' },
  profile_image: { en: 'Profile image', ko: '프로필 사진' },
  account_email: { en: 'Email', ko: '카카오계정(이메일)' },
  name: { en: 'Name', ko: '이름' },
  gender: { en: 'Gender', ko: '성별' },
  age_range: { en: 'Age range', ko: '연령대' },
  birthday: { en: 'Birthday', ko: '생일' },
  birthyear: { en: 'Birth year', ko: '출생 연도' },
  phone_number: { en: 'Phone number', ko: '전화번호' },
};

export function scopeDisplayName(item: string, locale: 'ko' | 'en' = 'en'): string {
  return DISPLAY_NAMES[item]?.[locale] ?? item;
}

export interface ScopesInput {
  appUserId: number;
  modes: Record<string, ConsentMode>;
  agreed: ReadonlySet<string>;
  /** items agreed at any time on this connection, withdrawn or not */
  everAgreed: ReadonlySet<string>;
  /** `scopes=[…]` filter */
  only?: string[];
}

export function buildScopes(input: ScopesInput): { id: number; scopes: Array<Record<string, unknown>> } {
  const scopes: Array<Record<string, unknown>> = [];
  for (const item of CONSENT_ITEMS) {
    if (input.only && !input.only.includes(item)) continue;
    const mode = input.modes[item] ?? 'off';
    const using = isOffered(mode);
    if (!using && !input.everAgreed.has(item)) continue;
    const agreed = input.agreed.has(item);
    const scope: Record<string, unknown> = {
      id: item,
      display_name: scopeDisplayName(item),
      type: 'PRIVACY',
      using,
      agreed,
    };
    if (agreed) scope.revocable = isRevocable(mode);
    scopes.push(scope);
  }
  return { id: input.appUserId, scopes };
}
