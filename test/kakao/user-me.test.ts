/** Envelope tests: /v2/user/me bodies against the examples of Kakao REST API "Retrieve user information". */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUserMe, kakaoDateTime } from '../../src/kakao/user-me.ts';
import { CONSENT_ITEMS } from '../../src/modules/apps/apps.types.ts';

const account = {
  email: 'sample@sample.com',
  // not confirmed: is_email_verified is false (test/accounts/email-verification.test.ts covers true)
  email_verified_at: null,
  nickname: '홍길동',
  profile_image_url: 'https://img.example/p.jpg',
  name: '홍길동',
  gender: 'female',
  birthday: '1130',
  birthyear: '2002',
  age_range: '20~29',
  phone_number: '+82 010-1234-5678',
};
const connectedAt = Date.parse('2022-04-11T01:45:28.123Z');

describe('buildUserMe', () => {
  it('matches the documented nickname-only example for kakao_account', () => {
    const body = buildUserMe({
      appUserId: 123456789,
      connectedAt,
      account,
      offered: new Set(['profile_nickname']),
      agreed: new Set(['profile_nickname']),
    });
    assert.deepEqual(body.kakao_account, {
      profile_nickname_needs_agreement: false,
      profile: { nickname: '홍길동' },
    });
    assert.equal(body.id, 123456789);
    assert.equal(body.connected_at, '2022-04-11T01:45:28Z');
  });

  it('has the documented keys and values when everything is offered and agreed', () => {
    const all = new Set<string>(CONSENT_ITEMS);
    const ka = buildUserMe({ appUserId: 1, connectedAt, account, offered: all, agreed: all })
      .kakao_account as Record<string, unknown>;
    assert.deepEqual(ka, {
      profile_nickname_needs_agreement: false,
      profile_image_needs_agreement: false,
      profile: {
        nickname: '홍길동',
        is_default_nickname: false,
        thumbnail_image_url: 'https://img.example/p.jpg',
        profile_image_url: 'https://img.example/p.jpg',
        is_default_image: false,
      },
      name_needs_agreement: false,
      name: '홍길동',
      email_needs_agreement: false,
      is_email_valid: true,
      is_email_verified: false,
      email: 'sample@sample.com',
      age_range_needs_agreement: false,
      age_range: '20~29',
      birthyear_needs_agreement: false,
      birthyear: '2002',
      birthday_needs_agreement: false,
      birthday: '1130',
      birthday_type: 'SOLAR',
      is_leap_month: false,
      gender_needs_agreement: false,
      gender: 'female',
      phone_number_needs_agreement: false,
      phone_number: '+82 010-1234-5678',
    });
  });

  it('says needs_agreement for offered items not agreed, and omits values and items switched off', () => {
    const ka = buildUserMe({
      appUserId: 1,
      connectedAt,
      account,
      offered: new Set(['profile_nickname', 'account_email']),
      agreed: new Set(['profile_nickname']),
    }).kakao_account as Record<string, unknown>;
    assert.equal(ka.email_needs_agreement, true);
    assert.equal('email' in ka, false);
    assert.equal('gender_needs_agreement' in ka, false);
  });

  it('narrows to property_keys', () => {
    const all = new Set<string>(CONSENT_ITEMS);
    const body = buildUserMe({
      appUserId: 1,
      connectedAt,
      account,
      offered: all,
      agreed: all,
      propertyKeys: ['kakao_account.email'],
    });
    assert.deepEqual(Object.keys(body.kakao_account as object).sort(), [
      'email',
      'email_needs_agreement',
      'is_email_valid',
      'is_email_verified',
    ]);
    assert.equal('properties' in body, false);
  });

  it('keeps legacy properties.nickname for clients such as passport-kakao', () => {
    const body = buildUserMe({
      appUserId: 1,
      connectedAt,
      account,
      offered: new Set(['profile_nickname']),
      agreed: new Set(['profile_nickname']),
    });
    assert.deepEqual(body.properties, { nickname: '홍길동' });
  });

  it('prints Kakao date-times without fractions', () => {
    assert.equal(kakaoDateTime(Date.parse('2026-01-02T03:04:05.999Z')), '2026-01-02T03:04:05Z');
  });
});
