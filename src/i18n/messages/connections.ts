const en = {
  'connections.item_not_offered': 'This app does not ask for this item.',
  'connections.required_item_missing': 'This item is required by the app.',
  'error.consent_item_required':
    'This item is required by the app and cannot be withdrawn. To stop sharing it, unlink the app.',
  'error.unlink_option_unavailable': 'That way of unlinking is not available for this app.',
} as const;

const ko: Record<keyof typeof en, string> = {
  'connections.item_not_offered': '이 앱이 요청하지 않는 항목입니다.',
  'connections.required_item_missing': '앱이 필수로 요청하는 항목입니다.',
  'error.consent_item_required':
    '앱의 필수 동의 항목이라 철회할 수 없습니다. 제공을 멈추려면 앱과의 연결을 끊어 주세요.',
  'error.unlink_option_unavailable': '이 앱에서는 사용할 수 없는 연결 끊기 방식입니다.',
};

export default { en, ko };
