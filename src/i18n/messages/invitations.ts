/** Team invitations: the console's invite form and pending list, and the invitation link's page. */
const en = {
  // the developer console (technical words allowed)
  'invitations.invite.title': 'Invite a member',
  'invitations.invite.hint':
    'We email an invitation link to this address. The person joins only after accepting it, signed in to {platform} with this email.',
  'invitations.invite.submit': 'Send invitation',
  'invitations.validation.too_many_pending':
    'This app already has {max} invitations waiting for an answer. Revoke some, or wait until they are answered or expire.',
  'invitations.created.title': 'Invitation created',
  'invitations.created.lead':
    'If the address can receive mail, the invitation is on its way. You can also copy the link below and send it yourself.',
  'invitations.created.link': 'Invitation link',
  'invitations.created.once':
    'This link is shown only now. It works once, for the invited email only, until {date}.',
  'invitations.created.role': 'Role: {role}',
  'invitations.created.back': 'Back to members',
  'invitations.pending.title': 'Pending invitations',
  'invitations.pending.none': 'No invitations are waiting for an answer.',
  'invitations.pending.meta': '{role} · invited by {inviter} · expires {date}',
  'invitations.pending.revoke': 'Revoke',
  'invitations.revoked': 'The invitation has been revoked. Its link no longer works.',
  // the link's page (an account holder's page: no developer words)
  'invitations.page.title': 'Invitation to the {app} team',
  'invitations.page.lead': '{inviter} invited you to help manage {app} on {platform}.',
  'invitations.page.role': 'Your role: {role}',
  'invitations.page.role_owner': 'Owners can change everything about the app, including deleting it.',
  'invitations.page.role_admin': 'Admins can change the app’s settings and its team.',
  'invitations.page.role_member': 'Members can see the app’s settings.',
  'invitations.page.expires': 'This invitation is valid until {date}.',
  'invitations.page.signed_in_as': 'You are signed in as {email}.',
  'invitations.page.accept': 'Accept and join',
  'invitations.page.decline': 'Decline',
  'invitations.signin.title': 'You have an invitation',
  'invitations.signin.lead':
    'To see it, log in, or create an account, with the email address the invitation was sent to.',
  'invitations.signin.login': 'Log in',
  'invitations.signin.signup': 'Create an account',
  'invitations.declined.title': 'You declined the invitation',
  'invitations.declined.lead': 'You have not joined the team. You can close this page.',
  'invitations.refused.unknown.title': 'This invitation link does not work',
  'invitations.refused.unknown.lead':
    'Check that the whole link was copied, or ask the person who invited you to send a new invitation.',
  'invitations.refused.expired.title': 'This invitation has expired',
  'invitations.refused.expired.lead':
    'Invitations are valid for 7 days. Ask the person who invited you to send a new one.',
  'invitations.refused.used.title': 'This invitation has already been answered',
  'invitations.refused.used.lead':
    'An invitation link works only once. If you accepted it, the app is in your developer console.',
  'invitations.refused.revoked.title': 'This invitation was withdrawn',
  'invitations.refused.revoked.lead':
    'The team withdrew this invitation. Ask them for a new one if you still need to join.',
  'invitations.refused.wrong_account.title': 'This invitation is for another email address',
  'invitations.refused.wrong_account.lead':
    'You are signed in as {email}. Log out, then log in with the email address the invitation was sent to.',
  'invitations.refused.unverified_email.title': 'Confirm your email address first',
  'invitations.refused.unverified_email.lead':
    'Before you join, confirm that {email} is yours: open the confirmation link we emailed you when you signed up, then open this invitation again.',
  'invitations.refused.unverified_email.action': 'Go to my account to get a new confirmation link',
  'invitations.to_console': 'Go to the developer console',
  // the invitation mail
  'invitations.mail.subject': '[{platform}] {inviter} invited you to the {app} team',
  'invitations.mail.heading': 'You are invited to the {app} team',
  'invitations.mail.body': '{inviter} invited you to help manage the app {app} on {platform}.',
  'invitations.mail.how':
    'Open the link, log in or create an account with this email address, and accept. The link works once, until {date}.',
  'invitations.mail.action': 'See the invitation',
  'invitations.mail.footnote':
    'If you do not know this person or do not want to join, ignore this mail: nothing changes unless you accept.',
};

const ko: Record<keyof typeof en, string> = {
  'invitations.invite.title': '멤버 초대',
  'invitations.invite.hint':
    '이 주소로 초대 링크를 이메일로 보냅니다. 상대방이 이 이메일로 {platform}에 로그인해 초대를 수락해야 멤버가 됩니다.',
  'invitations.invite.submit': '초대 보내기',
  'invitations.validation.too_many_pending':
    '이 앱에는 응답을 기다리는 초대가 이미 {max}개 있습니다. 일부를 취소하거나, 응답하거나 만료될 때까지 기다려 주세요.',
  'invitations.created.title': '초대를 만들었습니다',
  'invitations.created.lead':
    '메일을 받을 수 있는 주소라면 초대 메일이 발송됩니다. 아래 링크를 복사해 직접 전달할 수도 있습니다.',
  'invitations.created.link': '초대 링크',
  'invitations.created.once':
    '이 링크는 지금 한 번만 표시됩니다. 초대한 이메일로만, {date}까지 한 번 사용할 수 있습니다.',
  'invitations.created.role': '역할: {role}',
  'invitations.created.back': '멤버 목록으로 돌아가기',
  'invitations.pending.title': '대기 중인 초대',
  'invitations.pending.none': '응답을 기다리는 초대가 없습니다.',
  'invitations.pending.meta': '{role} · 초대한 사람: {inviter} · 만료: {date}',
  'invitations.pending.revoke': '초대 취소',
  'invitations.revoked': '초대를 취소했습니다. 이제 이 초대 링크는 사용할 수 없습니다.',
  'invitations.page.title': '{app} 팀 초대',
  'invitations.page.lead': '{inviter} 님이 {platform}에서 {app} 앱을 함께 관리하자고 초대했습니다.',
  'invitations.page.role': '맡게 될 역할: {role}',
  'invitations.page.role_owner': '소유자는 앱 삭제를 포함해 앱의 모든 것을 바꿀 수 있습니다.',
  'invitations.page.role_admin': '관리자는 앱 설정과 팀 구성원을 바꿀 수 있습니다.',
  'invitations.page.role_member': '멤버는 앱 설정을 볼 수 있습니다.',
  'invitations.page.expires': '이 초대는 {date}까지 유효합니다.',
  'invitations.page.signed_in_as': '지금 {email} 계정으로 로그인되어 있습니다.',
  'invitations.page.accept': '수락하고 참여하기',
  'invitations.page.decline': '거절하기',
  'invitations.signin.title': '초대가 도착했습니다',
  'invitations.signin.lead':
    '초대를 받은 이메일 주소로 로그인하거나 새로 가입하면 초대 내용을 볼 수 있습니다.',
  'invitations.signin.login': '로그인',
  'invitations.signin.signup': '계정 만들기',
  'invitations.declined.title': '초대를 거절했습니다',
  'invitations.declined.lead': '팀에 참여하지 않았습니다. 이 페이지를 닫아도 됩니다.',
  'invitations.refused.unknown.title': '사용할 수 없는 초대 링크입니다',
  'invitations.refused.unknown.lead':
    '링크 전체가 제대로 복사되었는지 확인하거나, 초대한 분께 새 초대를 요청해 주세요.',
  'invitations.refused.expired.title': '기간이 지난 초대입니다',
  'invitations.refused.expired.lead': '초대는 7일 동안만 유효합니다. 초대한 분께 새 초대를 요청해 주세요.',
  'invitations.refused.used.title': '이미 응답한 초대입니다',
  'invitations.refused.used.lead':
    '초대 링크는 한 번만 사용할 수 있습니다. 수락했다면 개발자 콘솔에서 앱을 볼 수 있습니다.',
  'invitations.refused.revoked.title': '취소된 초대입니다',
  'invitations.refused.revoked.lead':
    '팀에서 이 초대를 취소했습니다. 아직 참여해야 한다면 새 초대를 요청해 주세요.',
  'invitations.refused.wrong_account.title': '다른 이메일 주소로 보낸 초대입니다',
  'invitations.refused.wrong_account.lead':
    '지금 {email} 계정으로 로그인되어 있습니다. 로그아웃한 뒤 초대를 받은 이메일 주소로 로그인해 주세요.',
  'invitations.refused.unverified_email.title': '먼저 이메일 주소를 확인해 주세요',
  'invitations.refused.unverified_email.lead':
    '팀에 참여하기 전에 {email} 주소가 본인의 것인지 확인이 필요합니다. 가입할 때 보내 드린 확인 메일의 링크를 연 다음, 이 초대를 다시 열어 주세요.',
  'invitations.refused.unverified_email.action': '내 계정에서 확인 메일 다시 받기',
  'invitations.to_console': '개발자 콘솔로 가기',
  'invitations.mail.subject': '[{platform}] {inviter} 님이 {app} 팀에 초대했습니다',
  'invitations.mail.heading': '{app} 팀에 초대되었습니다',
  'invitations.mail.body': '{inviter} 님이 {platform}에서 {app} 앱을 함께 관리하자고 초대했습니다.',
  'invitations.mail.how':
    '링크를 열고 이 이메일 주소로 로그인하거나 가입한 뒤 초대를 수락해 주세요. 링크는 {date}까지 한 번만 사용할 수 있습니다.',
  'invitations.mail.action': '초대 확인하기',
  'invitations.mail.footnote':
    '모르는 분이 보냈거나 참여하고 싶지 않다면 이 메일을 무시해 주세요. 수락하지 않으면 아무것도 바뀌지 않습니다.',
};

export default { en, ko };
