const en = {
  'nav.skip': 'Skip to content',
  'nav.home': 'Home',
  'nav.account': 'My account',
  'nav.login': 'Log in',
  'nav.signup': 'Sign up',
  'nav.logout': 'Log out',
  'nav.developers': 'Developers',
  'nav.language': 'Language',
  'lang.ko': '한국어',
  'lang.en': 'English',
  'home.title': 'Welcome to {platform}',
  'home.lead':
    '{platform} lets you log in to apps with one account, and see and end every connection in one place.',
  'home.signed_in_as': 'Signed in as {nickname}',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.optional': 'optional',
  'common.go_home': 'Go to the home page',
  'common.footer': 'Powered by yeon',
} as const;

const ko: Record<keyof typeof en, string> = {
  'nav.skip': '본문 바로가기',
  'nav.home': '홈',
  'nav.account': '내 계정',
  'nav.login': '로그인',
  'nav.signup': '회원가입',
  'nav.logout': '로그아웃',
  'nav.developers': '개발자',
  'nav.language': '언어',
  'lang.ko': '한국어',
  'lang.en': 'English',
  'home.title': '{platform}에 오신 것을 환영합니다',
  'home.lead':
    '{platform} 계정 하나로 여러 앱에 로그인하고, 연결된 서비스를 한곳에서 확인하고 끊을 수 있습니다.',
  'home.signed_in_as': '{nickname}님으로 로그인됨',
  'common.save': '저장',
  'common.cancel': '취소',
  'common.optional': '선택',
  'common.go_home': '홈으로 가기',
  'common.footer': 'yeon으로 운영됩니다',
};

export default { en, ko };
