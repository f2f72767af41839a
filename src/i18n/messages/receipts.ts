/**
 * Live notification receipts after Delete All Data and account deletion: what the app has been
 * told and when. Account-holder pages, so plain words only (the app is "told", never a technical
 * name for how).
 */
const en = {
  'receipts.unlink.title': 'Request sent to {app}',
  'receipts.unlink.lead':
    '{app} is no longer connected to your {platform} account. We are telling {app} to delete the information it received from {platform}.',
  'receipts.status_heading': 'Has {app} been told?',
  'receipts.apps_heading': 'Apps we are telling to delete your information',
  'receipts.live_note': 'This page updates on its own; you do not need to reload it.',
  'receipts.state.queued': 'Telling {app} now…',
  'receipts.state.delivered': '{app} was told at {time}.',
  'receipts.state.retrying_one':
    'We tried to tell {app} once but could not reach it yet. We will try again at {time}.',
  'receipts.state.retrying':
    'We tried to tell {app} {count} times but could not reach it yet. We will try again at {time}.',
  'receipts.state.failed':
    'We tried to tell {app} {count} times and could not reach it, so we have stopped trying. You can ask {app} directly to delete your information.',
  'receipts.back': 'Back to connected services',
  'receipts.link.heading': 'Keep this page',
  'receipts.link.lead':
    'You no longer have an account, so this link is the only way back to this page. Bookmark it or copy it somewhere safe. It works until {date}.',
  'receipts.link.label': 'Link to this page',
  'receipts.link_invalid.title': 'This link does not work',
  'receipts.link_invalid.lead':
    'The link may be incomplete, or it is more than 30 days old. Links to this page stop working after 30 days.',
  'receipts.delete.told_heading': 'These apps will be told to delete your information:',
  'receipts.delete.wrong_password': 'Wrong password. Enter the password you use to log in.',
  'receipts.delete_all.effect_page': 'Afterwards, a page shows when {app} has been told.',
};

const ko: Record<keyof typeof en, string> = {
  'receipts.unlink.title': '{app} 서비스에 삭제 요청을 보냈습니다',
  'receipts.unlink.lead':
    '이제 {app} 서비스는 {platform} 계정과 연결되어 있지 않습니다. {platform}에서 받은 정보를 지우도록 {app} 서비스에 알리고 있습니다.',
  'receipts.status_heading': '{app} 서비스에 전달되었나요?',
  'receipts.apps_heading': '정보 삭제를 알리는 서비스',
  'receipts.live_note': '이 화면은 저절로 바뀝니다. 새로 고치지 않아도 됩니다.',
  'receipts.state.queued': '{app} 서비스에 알리는 중입니다…',
  'receipts.state.delivered': '{time}에 {app} 서비스에 전달했습니다.',
  'receipts.state.retrying_one':
    '{app} 서비스에 한 번 알렸지만 아직 전달되지 않았습니다. {time}에 다시 알립니다.',
  'receipts.state.retrying':
    '{app} 서비스에 {count}번 알렸지만 아직 전달되지 않았습니다. {time}에 다시 알립니다.',
  'receipts.state.failed':
    '{app} 서비스에 {count}번 알렸지만 끝내 전달하지 못해 더는 알리지 않습니다. {app} 서비스에 직접 정보 삭제를 요청해 주세요.',
  'receipts.back': '연결된 서비스 관리로 돌아가기',
  'receipts.link.heading': '이 화면을 보관해 주세요',
  'receipts.link.lead':
    '계정이 없어졌기 때문에 이 화면에는 아래 링크로만 다시 들어올 수 있습니다. 북마크하거나 안전한 곳에 복사해 두세요. {date}까지 열 수 있습니다.',
  'receipts.link.label': '이 화면의 링크',
  'receipts.link_invalid.title': '열 수 없는 링크입니다',
  'receipts.link_invalid.lead':
    '링크가 잘렸거나 만든 지 30일이 지났을 수 있습니다. 이 화면의 링크는 30일 동안만 열 수 있습니다.',
  'receipts.delete.told_heading': '다음 서비스에 정보를 지우도록 알립니다:',
  'receipts.delete.wrong_password': '비밀번호가 틀렸습니다. 로그인할 때 쓰는 비밀번호를 입력해 주세요.',
  'receipts.delete_all.effect_page':
    '요청한 뒤에는 {app} 서비스에 언제 전달되었는지 화면에서 확인할 수 있습니다.',
};

export default { en, ko };
