/** Delivery log, callback health and deletion receipts (issue #6). */
const en = {
  'error.notification_not_failed': 'Only a failed notification can be redelivered.',
  'notifications.receipt.code_invalid': 'The confirmation code must be 1 to 200 printable characters.',
  'notifications.receipt.url_invalid': 'The status URL must be an http or https address.',
  'notifications.events.unknown': 'Unknown event.',
  'notifications.events.json_only':
    'Extra events are sent in the JSON format only: switch the format to JSON first.',
} as const;

const ko: Record<keyof typeof en, string> = {
  'error.notification_not_failed': '실패한 알림만 다시 보낼 수 있습니다.',
  'notifications.receipt.code_invalid': '확인 코드는 출력 가능한 문자 1~200자여야 합니다.',
  'notifications.receipt.url_invalid': '상태 URL은 http 또는 https 주소여야 합니다.',
  'notifications.events.unknown': '알 수 없는 이벤트입니다.',
  'notifications.events.json_only':
    '추가 이벤트는 JSON 형식으로만 보냅니다. 먼저 형식을 JSON으로 바꿔 주세요.',
};

export default { en, ko };
