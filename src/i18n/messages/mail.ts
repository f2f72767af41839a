/** Mail sent to account holders (subjects and bodies) and the development mailbox. */
const en = {
  'mail.footer': 'This mail was sent by {platform} ({issuer}). Please do not reply to it.',
  'mail.smtp_check.subject': 'Test mail from {platform}',
  'mail.smtp_check.heading': 'Mail delivery works',
  'mail.smtp_check.body':
    'This is a test mail from {platform}. If you can read it, mail from the platform reaches this address.',
  'mail.smtp_check.action': 'Open {platform}',
  'mail.smtp_check.footnote': 'You do not need to do anything.',
  'mail.dev.title': 'Development mailbox',
  'mail.dev.lead':
    "Mail the platform sends while no YEON_SMTP_URL is set lands here instead of in anyone's inbox. Production needs YEON_SMTP_URL.",
  'mail.dev.empty': 'No mail yet.',
  'mail.dev.no_subject': '(no subject)',
  'mail.dev.to': 'To {to}',
  'mail.dev.from_label': 'From',
  'mail.dev.to_label': 'To',
  'mail.dev.date_label': 'Received',
  'mail.dev.text_part': 'Text',
  'mail.dev.html_part': 'HTML',
};

const ko: Record<keyof typeof en, string> = {
  'mail.footer': '{platform}({issuer})에서 보낸 메일입니다. 이 메일에는 답장하지 마세요.',
  'mail.smtp_check.subject': '{platform} 테스트 메일',
  'mail.smtp_check.heading': '메일이 잘 전달되고 있어요',
  'mail.smtp_check.body':
    '{platform}에서 보낸 테스트 메일입니다. 이 메일이 보인다면 이 주소로 메일이 잘 도착하고 있다는 뜻이에요.',
  'mail.smtp_check.action': '{platform} 열기',
  'mail.smtp_check.footnote': '따로 하실 일은 없어요.',
  'mail.dev.title': '개발용 메일함',
  'mail.dev.lead':
    'YEON_SMTP_URL이 설정되지 않은 동안 플랫폼이 보내는 메일은 실제 받은편지함 대신 여기에 모입니다. 운영 환경에서는 YEON_SMTP_URL이 꼭 필요합니다.',
  'mail.dev.empty': '아직 받은 메일이 없습니다.',
  'mail.dev.no_subject': '(제목 없음)',
  'mail.dev.to': '받는 사람 {to}',
  'mail.dev.from_label': '보낸 사람',
  'mail.dev.to_label': '받는 사람',
  'mail.dev.date_label': '받은 시각',
  'mail.dev.text_part': '텍스트',
  'mail.dev.html_part': 'HTML',
};

export default { en, ko };
