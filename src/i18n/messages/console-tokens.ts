/**
 * Developer console: the signed-in developer's API tokens for the management API
 * (`/developers/tokens`). A developer page, so "token" and "API" are the right words here.
 */
const en = {
  'tokens.title': 'API tokens',
  'tokens.nav_label': 'Developer console',
  'tokens.lead':
    'A token lets a script or a server call the management API as you: it may do whatever your account may do with your apps. Keep it as secret as a password.',
  'tokens.docs_link': 'Management API reference',
  'tokens.create.title': 'Create a token',
  'tokens.create.name': 'Token name',
  'tokens.create.name_hint': 'Something to recognise it by, e.g. “Deploy script”. At most {max} characters.',
  'tokens.create.lifetime':
    'Revoke a token you no longer use, or one that someone else may have seen, without waiting for it to expire.',
  'tokens.create.expiry': 'Expires after',
  'tokens.create.expiry_hint':
    'From then on, requests made with the token are refused; create a new one to go on.',
  'tokens.expiry.days': '{days} days',
  'tokens.expiry.never': 'Never (until revoked)',
  'tokens.expiry_invalid': 'Choose 30, 90 or 365 days, or never.',
  'tokens.create.submit': 'Create token',
  'tokens.created.title': 'Token created',
  'tokens.created.label': 'New token “{name}”',
  'tokens.created.once':
    'Copy it now and keep it somewhere safe: it is shown only this once. Only a fingerprint of it is stored, so it cannot be shown again.',
  'tokens.created.expires': 'It works until {date}.',
  'tokens.created.never_expires': 'It works until you revoke it.',
  'tokens.created.usage': 'Send it in the Authorization header of each request, for example:',
  'tokens.created.back': 'Back to API tokens',
  'tokens.list.title': 'Your tokens',
  'tokens.list.empty': 'You have no tokens yet.',
  'tokens.list.created': 'Created',
  'tokens.list.expires': 'Expires',
  'tokens.list.never_expires': 'Never (until revoked)',
  'tokens.list.expired': 'Expired on {date}',
  'tokens.list.last_used': 'Last used',
  'tokens.list.never_used': 'Never used',
  'tokens.list.last_used_hint': 'The last use is recorded at most once a minute.',
  'tokens.revoke': 'Revoke',
  'tokens.too_many': 'You already have {max} tokens. Revoke one you no longer use first.',
  'tokens.revoked': 'Token revoked. Requests made with it are now refused.',
};

const ko: { [K in keyof typeof en]: string } = {
  'tokens.title': 'API 토큰',
  'tokens.nav_label': '개발자 콘솔',
  'tokens.lead':
    '토큰이 있으면 스크립트나 서버가 내 계정으로 관리 API를 호출할 수 있습니다. 내 계정이 앱에 할 수 있는 일은 토큰으로도 모두 할 수 있으니 비밀번호처럼 안전하게 보관하세요.',
  'tokens.docs_link': '관리 API 레퍼런스',
  'tokens.create.title': '토큰 만들기',
  'tokens.create.name': '토큰 이름',
  'tokens.create.name_hint':
    '알아보기 쉬운 이름을 붙이세요. 예: “배포 스크립트”. 최대 {max}자까지 입력할 수 있습니다.',
  'tokens.create.lifetime':
    '더 이상 쓰지 않는 토큰이나 다른 사람이 보았을 수도 있는 토큰은 만료를 기다리지 말고 폐기하세요.',
  'tokens.create.expiry': '사용 기간',
  'tokens.create.expiry_hint':
    '기간이 지나면 이 토큰으로 보내는 요청은 거부됩니다. 계속 쓰려면 새 토큰을 만드세요.',
  'tokens.expiry.days': '{days}일',
  'tokens.expiry.never': '만료 없음 (폐기할 때까지)',
  'tokens.expiry_invalid': '30일, 90일, 365일, 만료 없음 중에서 고르세요.',
  'tokens.create.submit': '토큰 만들기',
  'tokens.created.title': '토큰을 만들었습니다',
  'tokens.created.label': '새 토큰 “{name}”',
  'tokens.created.once':
    '지금 복사해서 안전한 곳에 보관하세요. 토큰은 이번 한 번만 보여 드립니다. 서버에는 토큰의 지문만 저장되므로 다시 확인할 수 없습니다.',
  'tokens.created.expires': '{date}까지 사용할 수 있습니다.',
  'tokens.created.never_expires': '폐기할 때까지 사용할 수 있습니다.',
  'tokens.created.usage': '요청할 때마다 Authorization 헤더에 담아 보내세요. 예:',
  'tokens.created.back': 'API 토큰 목록으로 돌아가기',
  'tokens.list.title': '내 토큰',
  'tokens.list.empty': '아직 만든 토큰이 없습니다.',
  'tokens.list.created': '만든 날짜',
  'tokens.list.expires': '만료',
  'tokens.list.never_expires': '없음 (폐기할 때까지 사용 가능)',
  'tokens.list.expired': '{date}에 만료됨',
  'tokens.list.last_used': '마지막 사용',
  'tokens.list.never_used': '사용한 적 없음',
  'tokens.list.last_used_hint': '마지막 사용 시각은 1분에 한 번까지만 기록됩니다.',
  'tokens.revoke': '폐기',
  'tokens.too_many': '토큰은 {max}개까지 만들 수 있습니다. 쓰지 않는 토큰을 먼저 폐기하세요.',
  'tokens.revoked': '토큰을 폐기했습니다. 이제 이 토큰으로 보내는 요청은 거부됩니다.',
};

export default { en, ko };
