/** Mail sent to account holders (subjects and bodies) and the development mailbox. */
const en = {
  'mail.footer': 'This mail was sent by {platform} ({issuer}). Please do not reply to it.',
  'mail.smtp_check.subject': 'Test mail from {platform}',
  'mail.smtp_check.heading': 'Mail delivery works',
  'mail.smtp_check.body':
    'This is a test mail from {platform}. If you can read it, mail from the platform reaches this address.',
  'mail.smtp_check.action': 'Open {platform}',
  'mail.smtp_check.footnote': 'You do not need to do anything.',
};

const ko: Record<keyof typeof en, string> = {
  'mail.footer': '{platform}({issuer})에서 보낸 메일입니다. 이 메일에는 답장하지 마세요.',
  'mail.smtp_check.subject': '{platform} 테스트 메일',
  'mail.smtp_check.heading': '메일이 잘 전달되고 있어요',
  'mail.smtp_check.body':
    '{platform}에서 보낸 테스트 메일입니다. 이 메일이 보인다면 이 주소로 메일이 잘 도착하고 있다는 뜻이에요.',
  'mail.smtp_check.action': '{platform} 열기',
  'mail.smtp_check.footnote': '따로 하실 일은 없어요.',
};

export default { en, ko };
