/**
 * Email verification, forgot password, change password and password strength.
 * `recovery.strength.warning.*` and `recovery.strength.suggestion.*` are keyed by zxcvbn-ts's own
 * translation keys (its `warnings` and `suggestions`); the English text is the library's.
 */
const en = {
  'recovery.strength.weak': 'This password is too easy to guess.',
  'recovery.strength.warning.straightRow': 'Straight rows of keys on your keyboard are easy to guess.',
  'recovery.strength.warning.keyPattern': 'Short keyboard patterns are easy to guess.',
  'recovery.strength.warning.simpleRepeat': 'Repeated characters like "aaa" are easy to guess.',
  'recovery.strength.warning.extendedRepeat':
    'Repeated character patterns like "abcabcabc" are easy to guess.',
  'recovery.strength.warning.sequences': 'Common character sequences like "abc" are easy to guess.',
  'recovery.strength.warning.recentYears': 'Recent years are easy to guess.',
  'recovery.strength.warning.dates': 'Dates are easy to guess.',
  'recovery.strength.warning.topTen': 'This is a heavily used password.',
  'recovery.strength.warning.topHundred': 'This is a frequently used password.',
  'recovery.strength.warning.common': 'This is a commonly used password.',
  'recovery.strength.warning.similarToCommon': 'This is similar to a commonly used password.',
  'recovery.strength.warning.wordByItself': 'Single words are easy to guess.',
  'recovery.strength.warning.namesByThemselves': 'Single names or surnames are easy to guess.',
  'recovery.strength.warning.commonNames': 'Common names and surnames are easy to guess.',
  'recovery.strength.warning.userInputs': 'Do not use your email address or nickname in your password.',
  'recovery.strength.warning.pwned': 'Your password was exposed by a data breach on the Internet.',
  'recovery.strength.suggestion.l33t': "Avoid predictable letter substitutions like '@' for 'a'.",
  'recovery.strength.suggestion.reverseWords': 'Avoid reversed spellings of common words.',
  'recovery.strength.suggestion.allUppercase': 'Capitalize some, but not all letters.',
  'recovery.strength.suggestion.capitalization': 'Capitalize more than the first letter.',
  'recovery.strength.suggestion.dates': 'Avoid dates and years that are associated with you.',
  'recovery.strength.suggestion.recentYears': 'Avoid recent years.',
  'recovery.strength.suggestion.associatedYears': 'Avoid years that are associated with you.',
  'recovery.strength.suggestion.sequences': 'Avoid common character sequences.',
  'recovery.strength.suggestion.repeated': 'Avoid repeated words and characters.',
  'recovery.strength.suggestion.longerKeyboardPattern':
    'Use longer keyboard patterns and change typing direction multiple times.',
  'recovery.strength.suggestion.anotherWord': 'Add more words that are less common.',
  'recovery.strength.suggestion.useWords': 'Use multiple words, but avoid common phrases.',
  'recovery.strength.suggestion.noNeed':
    'You can create strong passwords without using symbols, numbers, or uppercase letters.',
  'recovery.strength.suggestion.pwned': 'If you use this password elsewhere, you should change it.',

  'recovery.password_hint': 'At least 8 characters. A few unrelated words make a strong password.',
  'recovery.show_password': 'Show password',

  'recovery.link_invalid': 'This link has expired or was already used. Ask for a new one.',
  'recovery.email.unverified': 'Your email address is not confirmed yet.',
  'recovery.email.verified': 'Confirmed',
  'recovery.email.resend': 'Send the confirmation email again',
  'recovery.email.resent': 'We sent a confirmation email to {email}.',
  'recovery.email.change': 'Change email address',
  'recovery.email.pending': 'Waiting for confirmation of {email}.',

  'recovery.verify.title': 'Confirm your email address',
  'recovery.verify.lead': 'Press the button to confirm that {email} is yours.',
  'recovery.verify.submit': 'Confirm',
  'recovery.verify.done': 'Your email address {email} is confirmed.',
  'recovery.verify.continue': 'Go to my account',

  'recovery.change_email.title': 'Change email address',
  'recovery.change_email.lead':
    'We will send a link to the new address. Your email changes once you open that link; until then you keep using {email}.',
  'recovery.change_email.new_email': 'New email address',
  'recovery.change_email.password_hint': 'Enter your current password to confirm it is you.',
  'recovery.change_email.submit': 'Send confirmation link',
  'recovery.change_email.sent': 'We sent a link to {email}. Open it to finish the change.',
  'recovery.change_email.same': 'This is already your email address.',

  'recovery.forgot.link': 'Forgot password?',
  'recovery.forgot.title': 'Reset your password',
  'recovery.forgot.lead':
    'Enter the email address of your account. We will send a link to set a new password.',
  'recovery.forgot.submit': 'Send link',
  'recovery.forgot.sent':
    'If an account uses this address, we sent it a link. The link works for 30 minutes. Check your spam folder too.',

  'recovery.reset.title': 'Set a new password',
  'recovery.reset.lead': 'Choose a new password for {email}. You will be signed out everywhere else.',
  'recovery.reset.submit': 'Set new password',
  'recovery.reset.done': 'Your password was changed. Log in with the new password.',

  'recovery.change_password.title': 'Change password',
  'recovery.change_password.menu': 'Change password',
  'recovery.change_password.current': 'Current password',
  'recovery.change_password.new': 'New password',
  'recovery.change_password.lead':
    'After the change you stay signed in here, and every other browser and device is signed out.',
  'recovery.change_password.submit': 'Change password',
  'recovery.change_password.done': 'Your password was changed. Other browsers and devices were signed out.',
  'recovery.change_password.wrong_current': 'The current password is incorrect.',
  'recovery.mail.verify.subject': 'Confirm your email address for {platform}',
  'recovery.mail.verify.heading': 'Confirm your email address',
  'recovery.mail.verify.body':
    'You signed up for {platform} with {email}. Open the link below to confirm that this address is yours. The link works for 24 hours.',
  'recovery.mail.verify.action': 'Confirm email address',
  'recovery.mail.verify.footnote': 'If you did not sign up, you can ignore this mail.',
  'recovery.mail.change.subject': 'Confirm your new email address for {platform}',
  'recovery.mail.change.heading': 'Confirm your new email address',
  'recovery.mail.change.body':
    'Someone asked to use {email} as the email address of a {platform} account. Open the link below to confirm the change. The link works for 24 hours.',
  'recovery.mail.change.footnote': 'If you did not ask for this, you can ignore this mail; nothing changes.',
  'recovery.mail.reset.subject': 'Reset your {platform} password',
  'recovery.mail.reset.heading': 'Set a new password',
  'recovery.mail.reset.body':
    'Someone asked to reset the password of your {platform} account. Open the link below to choose a new one. The link works for 30 minutes and only once.',
  'recovery.mail.reset.action': 'Set a new password',
  'recovery.mail.reset.footnote':
    'If you did not ask for this, you can ignore this mail; your password stays the same.',
  'recovery.mail.password_changed.subject': 'Your {platform} password was changed',
  'recovery.mail.password_changed.heading': 'Your password was changed',
  'recovery.mail.password_changed.body':
    'The password of your {platform} account was just changed, and every other browser and device was signed out.',
  'recovery.mail.email_changed.subject': 'The email address of your {platform} account was changed',
  'recovery.mail.email_changed.heading': 'Your email address was changed',
  'recovery.mail.email_changed.body':
    'Your {platform} account now uses {email}. Mail about the account goes to that address from now on.',
  'recovery.mail.secure.action': 'Secure my account',
  'recovery.mail.secure.footnote':
    'If this was you, there is nothing to do. If it was not, reset your password with the link above at once.',
};

const ko: Record<keyof typeof en, string> = {
  'recovery.strength.weak': '추측하기 쉬운 비밀번호입니다.',
  'recovery.strength.warning.straightRow': '키보드에서 한 줄로 이어진 글자는 추측하기 쉽습니다.',
  'recovery.strength.warning.keyPattern': '짧은 키보드 패턴은 추측하기 쉽습니다.',
  'recovery.strength.warning.simpleRepeat': '"aaa"처럼 같은 글자를 되풀이하면 추측하기 쉽습니다.',
  'recovery.strength.warning.extendedRepeat': '"abcabcabc"처럼 같은 묶음을 되풀이하면 추측하기 쉽습니다.',
  'recovery.strength.warning.sequences': '"abc"처럼 흔히 이어지는 글자는 추측하기 쉽습니다.',
  'recovery.strength.warning.recentYears': '최근 연도는 추측하기 쉽습니다.',
  'recovery.strength.warning.dates': '날짜는 추측하기 쉽습니다.',
  'recovery.strength.warning.topTen': '아주 많은 사람이 쓰는 비밀번호입니다.',
  'recovery.strength.warning.topHundred': '자주 쓰이는 비밀번호입니다.',
  'recovery.strength.warning.common': '흔히 쓰이는 비밀번호입니다.',
  'recovery.strength.warning.similarToCommon': '흔히 쓰이는 비밀번호와 비슷합니다.',
  'recovery.strength.warning.wordByItself': '단어 하나만으로는 추측하기 쉽습니다.',
  'recovery.strength.warning.namesByThemselves': '이름이나 성 하나만으로는 추측하기 쉽습니다.',
  'recovery.strength.warning.commonNames': '흔한 이름과 성은 추측하기 쉽습니다.',
  'recovery.strength.warning.userInputs': '비밀번호에 이메일 주소나 닉네임을 넣지 마세요.',
  'recovery.strength.warning.pwned': '인터넷에 유출된 적이 있는 비밀번호입니다.',
  'recovery.strength.suggestion.l33t': "'a' 대신 '@'처럼 뻔하게 글자를 바꾸는 방식은 피하세요.",
  'recovery.strength.suggestion.reverseWords': '흔한 단어를 거꾸로 쓰는 방식은 피하세요.',
  'recovery.strength.suggestion.allUppercase': '모두 대문자로 쓰지 말고 일부만 대문자로 써 보세요.',
  'recovery.strength.suggestion.capitalization': '첫 글자 말고 다른 글자도 대문자로 써 보세요.',
  'recovery.strength.suggestion.dates': '나와 관련된 날짜나 연도는 피하세요.',
  'recovery.strength.suggestion.recentYears': '최근 연도는 피하세요.',
  'recovery.strength.suggestion.associatedYears': '나와 관련된 연도는 피하세요.',
  'recovery.strength.suggestion.sequences': '흔히 이어지는 글자는 피하세요.',
  'recovery.strength.suggestion.repeated': '같은 단어나 글자를 되풀이하지 마세요.',
  'recovery.strength.suggestion.longerKeyboardPattern':
    '키보드 패턴을 쓴다면 더 길게, 방향을 여러 번 바꿔 가며 쓰세요.',
  'recovery.strength.suggestion.anotherWord': '덜 흔한 단어를 몇 개 더 넣어 보세요.',
  'recovery.strength.suggestion.useWords': '여러 단어를 이어 쓰되, 흔한 문구는 피하세요.',
  'recovery.strength.suggestion.noNeed': '기호, 숫자, 대문자 없이도 안전한 비밀번호를 만들 수 있습니다.',
  'recovery.strength.suggestion.pwned': '다른 곳에서도 이 비밀번호를 쓰고 있다면 바꾸세요.',

  'recovery.password_hint': '8자 이상. 서로 관련 없는 단어 몇 개를 이어 쓰면 안전합니다.',
  'recovery.show_password': '비밀번호 보기',

  'recovery.link_invalid': '링크가 만료되었거나 이미 사용되었습니다. 새 링크를 요청해 주세요.',
  'recovery.email.unverified': '아직 이메일 주소가 확인되지 않았습니다.',
  'recovery.email.verified': '확인됨',
  'recovery.email.resend': '확인 메일 다시 보내기',
  'recovery.email.resent': '{email} 주소로 확인 메일을 보냈습니다.',
  'recovery.email.change': '이메일 주소 바꾸기',
  'recovery.email.pending': '{email} 주소의 확인을 기다리고 있습니다.',

  'recovery.verify.title': '이메일 주소 확인',
  'recovery.verify.lead': '{email} 주소가 본인의 것이 맞으면 아래 버튼을 눌러 주세요.',
  'recovery.verify.submit': '확인',
  'recovery.verify.done': '이메일 주소 {email} 확인을 마쳤습니다.',
  'recovery.verify.continue': '내 계정으로 가기',

  'recovery.change_email.title': '이메일 주소 바꾸기',
  'recovery.change_email.lead':
    '새 주소로 링크를 보내 드립니다. 그 링크를 열어야 이메일 주소가 바뀌며, 그 전까지는 {email} 주소를 그대로 사용합니다.',
  'recovery.change_email.new_email': '새 이메일 주소',
  'recovery.change_email.password_hint': '본인 확인을 위해 지금 비밀번호를 입력하세요.',
  'recovery.change_email.submit': '확인 링크 보내기',
  'recovery.change_email.sent': '{email} 주소로 링크를 보냈습니다. 링크를 열면 변경이 끝납니다.',
  'recovery.change_email.same': '지금 사용 중인 이메일 주소입니다.',

  'recovery.forgot.link': '비밀번호를 잊으셨나요?',
  'recovery.forgot.title': '비밀번호 재설정',
  'recovery.forgot.lead': '계정의 이메일 주소를 입력하세요. 새 비밀번호를 정할 수 있는 링크를 보내 드립니다.',
  'recovery.forgot.submit': '링크 보내기',
  'recovery.forgot.sent':
    '이 주소를 쓰는 계정이 있으면 링크를 보냈습니다. 링크는 30분 동안 쓸 수 있습니다. 스팸 메일함도 확인해 주세요.',

  'recovery.reset.title': '새 비밀번호 정하기',
  'recovery.reset.lead': '{email} 계정의 새 비밀번호를 정하세요. 다른 기기에서는 모두 로그아웃됩니다.',
  'recovery.reset.submit': '새 비밀번호 저장',
  'recovery.reset.done': '비밀번호를 바꿨습니다. 새 비밀번호로 로그인하세요.',

  'recovery.change_password.title': '비밀번호 변경',
  'recovery.change_password.menu': '비밀번호 변경',
  'recovery.change_password.current': '지금 비밀번호',
  'recovery.change_password.new': '새 비밀번호',
  'recovery.change_password.lead':
    '바꾼 뒤에도 이 브라우저에서는 로그인이 유지되고, 다른 브라우저와 기기에서는 모두 로그아웃됩니다.',
  'recovery.change_password.submit': '비밀번호 변경',
  'recovery.change_password.done': '비밀번호를 바꿨습니다. 다른 브라우저와 기기에서는 로그아웃되었습니다.',
  'recovery.change_password.wrong_current': '지금 비밀번호가 맞지 않습니다.',
  'recovery.mail.verify.subject': '{platform} 이메일 주소를 확인해 주세요',
  'recovery.mail.verify.heading': '이메일 주소 확인',
  'recovery.mail.verify.body':
    '{email} 주소로 {platform}에 가입하셨습니다. 이 주소가 본인의 것이 맞으면 아래 링크를 열어 주세요. 링크는 24시간 동안 쓸 수 있습니다.',
  'recovery.mail.verify.action': '이메일 주소 확인하기',
  'recovery.mail.verify.footnote': '가입한 적이 없다면 이 메일은 무시하셔도 됩니다.',
  'recovery.mail.change.subject': '{platform} 새 이메일 주소를 확인해 주세요',
  'recovery.mail.change.heading': '새 이메일 주소 확인',
  'recovery.mail.change.body':
    '{platform} 계정의 이메일 주소를 {email} 주소로 바꾸려는 요청이 있었습니다. 바꾸시려면 아래 링크를 열어 주세요. 링크는 24시간 동안 쓸 수 있습니다.',
  'recovery.mail.change.footnote':
    '요청한 적이 없다면 이 메일은 무시하셔도 됩니다. 아무것도 바뀌지 않습니다.',
  'recovery.mail.reset.subject': '{platform} 비밀번호 재설정',
  'recovery.mail.reset.heading': '새 비밀번호 정하기',
  'recovery.mail.reset.body':
    '{platform} 계정의 비밀번호를 다시 정하려는 요청이 있었습니다. 아래 링크에서 새 비밀번호를 정하세요. 링크는 30분 동안 한 번만 쓸 수 있습니다.',
  'recovery.mail.reset.action': '새 비밀번호 정하기',
  'recovery.mail.reset.footnote': '요청한 적이 없다면 이 메일은 무시하셔도 됩니다. 비밀번호는 그대로입니다.',
  'recovery.mail.password_changed.subject': '{platform} 비밀번호가 바뀌었습니다',
  'recovery.mail.password_changed.heading': '비밀번호가 바뀌었습니다',
  'recovery.mail.password_changed.body':
    '방금 {platform} 계정의 비밀번호가 바뀌었고, 다른 브라우저와 기기에서는 모두 로그아웃되었습니다.',
  'recovery.mail.email_changed.subject': '{platform} 계정의 이메일 주소가 바뀌었습니다',
  'recovery.mail.email_changed.heading': '이메일 주소가 바뀌었습니다',
  'recovery.mail.email_changed.body':
    '이제 {platform} 계정은 {email} 주소를 사용합니다. 앞으로 계정에 관한 메일은 이 주소로 보내 드립니다.',
  'recovery.mail.secure.action': '내 계정 지키기',
  'recovery.mail.secure.footnote':
    '본인이 한 일이라면 따로 하실 일은 없습니다. 본인이 아니라면 위 링크에서 바로 비밀번호를 다시 정하세요.',
};

export default { en, ko };
