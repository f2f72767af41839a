/** Messages produced by the apps domain: field validation and app-specific errors. */
const en = {
  'apps.validation.url_invalid': '“{value}” is not a full URL starting with https:// or http://.',
  'apps.validation.url_credentials': '“{value}” must not contain a user name or password.',
  'apps.validation.url_fragment': '“{value}” must not contain a # fragment.',
  'apps.validation.https_required':
    '“{value}” must use https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]).',
  'apps.validation.https_required_in_production':
    '“{value}” uses plain http. In production an unlink callback URL must start with https://.',
  'apps.validation.too_many': 'At most {max} entries are allowed.',
  'apps.validation.duplicate': '“{value}” is listed more than once.',
  'apps.validation.origin_invalid':
    '“{value}” is not an origin: use only scheme, host and port, e.g. https://example.com.',
  'apps.validation.consent_item_unknown': '“{value}” is not a consent item. Use one of: {allowed}.',
  'apps.validation.consent_mode_invalid':
    '“{value}” is not a consent setting. Use required, optional, during-use or off.',
  'apps.validation.package_invalid':
    '“{value}” is not an Android package name. Use dot-separated parts, e.g. com.example.app.',
  'apps.validation.bundle_id_invalid':
    '“{value}” is not an iOS bundle ID. Use dot-separated parts, e.g. com.example.app.',
  'apps.validation.unlink_method_invalid': '“{value}” is not a method. Use GET or POST.',
  'apps.validation.unlink_state_invalid': '“{value}” is not a state. Use active or paused.',
  'apps.validation.unlink_format_invalid': '“{value}” is not a format. Use kakao or json.',
  'apps.destination.invalid_url': '“{value}” is not a valid URL.',
  'apps.destination.scheme': '“{value}” must start with https:// or http://.',
  'apps.destination.credentials': '“{value}” must not contain a user name or password.',
  'apps.destination.blocked_address':
    '“{value}” points to a private or internal address ({address}). Ask the operator to allow it with YEON_OUTBOUND_ALLOW if this is intended.',
  'apps.destination.metadata':
    '“{value}” points to a cloud metadata or link-local address ({address}), which is never allowed.',
  'apps.destination.unresolvable': 'The host of “{value}” could not be resolved.',
  'apps.destination.unconfigured': 'Outbound requests are not available on this server.',
  'apps.validation.icon_too_large': 'The icon must be at most {max}.',
  'apps.validation.icon_type': 'The icon must be a PNG or JPEG image.',
  'apps.validation.role_invalid': '“{value}” is not a role. Use owner, admin or member.',
  'apps.validation.already_member': '“{value}” is already a member of this app.',
  'apps.validation.schema': 'Invalid value: {detail}.',
  'error.app_last_owner': 'An app needs at least one owner. Make someone else an owner first.',
  'error.app_last_admin_key':
    'An app needs at least one admin key. Create a new one before revoking this one.',
  'error.app_admin_key_limit':
    'An app may have at most {max} admin keys at once. Revoke an old one before creating another.',
} as const;

const ko: Record<keyof typeof en, string> = {
  'apps.validation.url_invalid': '“{value:은/는}” https:// 또는 http://로 시작하는 전체 URL이 아닙니다.',
  'apps.validation.url_credentials': '“{value}”에 사용자 이름이나 비밀번호를 넣을 수 없습니다.',
  'apps.validation.url_fragment': '“{value}”에 # 프래그먼트를 넣을 수 없습니다.',
  'apps.validation.https_required':
    '“{value:은/는}” https://를 사용해야 합니다 (http는 localhost, 127.0.0.1, [::1]에서만 허용됩니다).',
  'apps.validation.https_required_in_production':
    '운영 환경에서는 연결 해제 콜백 URL이 https://로 시작해야 합니다. 입력한 주소: “{value}”',
  'apps.validation.too_many': '최대 {max}개까지 등록할 수 있습니다.',
  'apps.validation.duplicate': '“{value:이/가}” 두 번 이상 입력되었습니다.',
  'apps.validation.origin_invalid':
    '“{value:은/는}” 출처(origin)가 아닙니다. 스킴, 호스트, 포트만 입력하세요. 예: https://example.com',
  'apps.validation.consent_item_unknown':
    '“{value:은/는}” 동의 항목이 아닙니다. 다음 중 하나를 사용하세요: {allowed}',
  'apps.validation.consent_mode_invalid':
    '“{value:은/는}” 동의 설정이 아닙니다. required, optional, during-use, off 중 하나를 사용하세요.',
  'apps.validation.package_invalid':
    '“{value:은/는}” Android 패키지명이 아닙니다. 점으로 구분된 형식을 사용하세요. 예: com.example.app',
  'apps.validation.bundle_id_invalid':
    '“{value:은/는}” iOS 번들 ID가 아닙니다. 점으로 구분된 형식을 사용하세요. 예: com.example.app',
  'apps.validation.unlink_method_invalid':
    '“{value:은/는}” 요청 방법이 아닙니다. GET 또는 POST를 사용하세요.',
  'apps.validation.unlink_state_invalid': '“{value:은/는}” 상태가 아닙니다. active 또는 paused를 사용하세요.',
  'apps.validation.unlink_format_invalid': '“{value:은/는}” 형식이 아닙니다. kakao 또는 json을 사용하세요.',
  'apps.destination.invalid_url': '“{value:은/는}” 올바른 URL이 아닙니다.',
  'apps.destination.scheme': '“{value:은/는}” https:// 또는 http://로 시작해야 합니다.',
  'apps.destination.credentials': '“{value}”에 사용자 이름이나 비밀번호를 넣을 수 없습니다.',
  'apps.destination.blocked_address':
    '“{value:은/는}” 사설 또는 내부 주소({address})를 가리킵니다. 의도한 주소라면 운영자에게 YEON_OUTBOUND_ALLOW로 허용해 달라고 요청하세요.',
  'apps.destination.metadata':
    '“{value:은/는}” 클라우드 메타데이터 또는 링크 로컬 주소({address})를 가리키며, 이는 허용되지 않습니다.',
  'apps.destination.unresolvable': '“{value}”의 호스트를 찾을 수 없습니다.',
  'apps.destination.unconfigured': '이 서버에서는 외부 요청을 사용할 수 없습니다.',
  'apps.validation.icon_too_large': '아이콘은 {max} 이하여야 합니다.',
  'apps.validation.icon_type': '아이콘은 PNG 또는 JPEG 이미지여야 합니다.',
  'apps.validation.role_invalid':
    '“{value:은/는}” 역할이 아닙니다. owner, admin, member 중 하나를 사용하세요.',
  'apps.validation.already_member': '“{value:은/는}” 이미 이 앱의 멤버입니다.',
  'apps.validation.schema': '올바르지 않은 값입니다: {detail}',
  'error.app_last_owner': '앱에는 소유자가 한 명 이상 있어야 합니다. 먼저 다른 사람을 소유자로 지정하세요.',
  'error.app_last_admin_key':
    '앱에는 어드민 키가 하나 이상 있어야 합니다. 새 키를 만든 뒤 이 키를 폐기하세요.',
  'error.app_admin_key_limit':
    '어드민 키는 한 번에 최대 {max}개까지 가질 수 있습니다. 이전 키를 폐기한 뒤 새로 만드세요.',
};

export default { en, ko };
