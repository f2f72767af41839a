/** The OAuth error page: shown instead of a redirect when the app or address is wrong. */
const en = {
  'oauth.error_title': 'This login request cannot continue',
  'oauth.error_code': 'Error code: {code}',
  'oauth.KOE004':
    'Kakao Login is not turned on for this app. The app developer must turn it on in the console.',
  'oauth.KOE006':
    'The app asked to send you to an address it has not registered. For your safety you were not sent there.',
  'oauth.KOE007':
    'The app asked to send you to a logout address it has not registered. For your safety you were not sent there.',
  'oauth.KOE101': 'The app key (client_id) is not valid. Ask the app developer to check it.',
  'oauth.KOE201': 'This app asked for a kind of response that is not supported (response_type must be code).',
  'oauth.KOE001': 'The login request is not valid. Ask the app developer to check its parameters.',
} as const;

const ko: Record<keyof typeof en, string> = {
  'oauth.error_title': '로그인 요청을 계속할 수 없습니다',
  'oauth.error_code': '오류 코드: {code}',
  'oauth.KOE004':
    '이 앱은 카카오 로그인을 사용하도록 설정되어 있지 않습니다. 앱 개발자가 콘솔에서 켜야 합니다.',
  'oauth.KOE006': '앱이 등록하지 않은 주소로 이동하려고 했습니다. 안전을 위해 이동하지 않았습니다.',
  'oauth.KOE007': '앱이 등록하지 않은 로그아웃 주소로 이동하려고 했습니다. 안전을 위해 이동하지 않았습니다.',
  'oauth.KOE101': '앱 키(client_id)가 올바르지 않습니다. 앱 개발자에게 확인을 요청해 주세요.',
  'oauth.KOE201': '지원하지 않는 응답 방식을 요청했습니다(response_type은 code여야 합니다).',
  'oauth.KOE001': '로그인 요청이 올바르지 않습니다. 앱 개발자에게 요청 값을 확인해 달라고 해 주세요.',
};

export default { en, ko };
