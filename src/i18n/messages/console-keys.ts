/**
 * Developer console: reissuing app keys with an overlap (app-key-rotation.ts). The console may use
 * the technical words (key, token, overlap).
 */
const en = {
  'console.rotation.title': 'Reissue a key',
  'console.rotation.hint':
    'A new key replaces the current one. The replaced key keeps working until the time you choose, then stops everywhere at once. People stay connected to your app; only sign-ins in progress and tokens issued with a replaced REST API or JavaScript key stop with it.',
  'console.rotation.kind': 'Key to reissue',
  'console.rotation.kind_rest_api': 'REST API key',
  'console.rotation.kind_javascript': 'JavaScript key',
  'console.rotation.kind_admin': 'Admin key',
  'console.rotation.overlap': 'Keep the replaced key working for',
  'console.rotation.overlap_now': 'No time: stop it now',
  'console.rotation.overlap_1h': '1 hour',
  'console.rotation.overlap_24h': '24 hours (recommended)',
  'console.rotation.overlap_7d': '7 days',
  'console.rotation.submit': 'Reissue key',
  'console.rotation.previous_title': 'Replaced keys still working',
  'console.rotation.previous_hint':
    'Move your servers and apps to the new key before these stop. Unlink notifications keep carrying a replaced admin key until it stops, so stop it once your receiver accepts the new one. Stop one now if it may have leaked.',
  'console.rotation.works_until': 'Works until {date}',
  'console.rotation.stop': 'Stop this key now',
  'console.rotation.rotated':
    'A new key has been issued. The replaced key keeps working until the time shown below.',
  'console.rotation.stopped': 'The replaced key has stopped. Requests that use it are now refused.',
  'console.rotation.kind_invalid': 'Choose the REST API key, the JavaScript key or the admin key.',
  'console.rotation.overlap_invalid':
    'Choose how long the replaced key keeps working: stop it now, 1 hour, 24 hours or 7 days.',
  'error.app_key_rotation_limit':
    'At most {max} keys of one kind can work at once. Stop a replaced key, or reissue with “stop it now”.',
};

const ko: { [K in keyof typeof en]: string } = {
  'console.rotation.title': '키 재발급',
  'console.rotation.hint':
    '새 키가 현재 키를 대신합니다. 이전 키는 고른 시간까지 계속 동작하고, 그 뒤 모든 곳에서 한꺼번에 멈춥니다. 사용자와 앱의 연결은 그대로 유지되며, 이전 REST API 키나 JavaScript 키로 진행 중이던 로그인과 발급된 토큰만 함께 멈춥니다.',
  'console.rotation.kind': '재발급할 키',
  'console.rotation.kind_rest_api': 'REST API 키',
  'console.rotation.kind_javascript': 'JavaScript 키',
  'console.rotation.kind_admin': '어드민 키',
  'console.rotation.overlap': '이전 키를 계속 쓸 시간',
  'console.rotation.overlap_now': '없음: 바로 중지',
  'console.rotation.overlap_1h': '1시간',
  'console.rotation.overlap_24h': '24시간 (권장)',
  'console.rotation.overlap_7d': '7일',
  'console.rotation.submit': '키 재발급',
  'console.rotation.previous_title': '아직 동작하는 이전 키',
  'console.rotation.previous_hint':
    '이 키들이 멈추기 전에 서버와 앱이 새 키를 쓰도록 바꾸세요. 연결 끊기 알림에는 이전 어드민 키가 멈출 때까지 계속 실리니, 알림을 받는 서버가 새 키를 받아들이게 된 뒤에 중지하세요. 키가 유출되었을 수 있다면 지금 바로 중지하세요.',
  'console.rotation.works_until': '{date}까지 동작',
  'console.rotation.stop': '이 키 지금 중지',
  'console.rotation.rotated': '새 키를 발급했습니다. 이전 키는 아래에 표시된 시간까지 계속 동작합니다.',
  'console.rotation.stopped': '이전 키를 중지했습니다. 이 키를 사용한 요청은 이제 거부됩니다.',
  'console.rotation.kind_invalid': 'REST API 키, JavaScript 키, 어드민 키 중에서 고르세요.',
  'console.rotation.overlap_invalid':
    '이전 키를 계속 쓸 시간을 바로 중지, 1시간, 24시간, 7일 중에서 고르세요.',
  'error.app_key_rotation_limit':
    '같은 종류의 키는 한 번에 최대 {max}개까지 동작할 수 있습니다. 이전 키를 중지하거나 “바로 중지”로 재발급하세요.',
};

export default { en, ko };
