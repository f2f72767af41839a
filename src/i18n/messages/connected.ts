/** Manage Connected Services (연결된 서비스 관리) and account deletion (as Kakao's). */
const en = {
  'connected.menu': 'Manage Connected Services',
  'connected.title': 'Manage Connected Services',
  'connected.lead':
    'Apps you logged in to with your {platform} account. See what each app receives, withdraw optional consents, or unlink an app.',
  'connected.none': 'No app is connected to your account.',
  'connected.connected_on': 'Connected on {date}',
  'connected.connected_recently': 'Connected {when}',
  'connected.icon_alt': '{app} icon',
  'connected.by_company': 'by {company}',
  'connected.back_to_list': 'Back to Manage Connected Services',
  'connected.back_to_app': 'Back to {app}',
  'connected.previous.title': 'Previously connected',
  'connected.previous.lead':
    'Apps you unlinked. Logging in to one of them again asks for your consent again.',
  'connected.notification.none':
    'The app was not notified: it has not asked to be told when someone disconnects.',
  'connected.notification.pending': 'Notification to the app: queued',
  'connected.notification.delivered': 'Notification to the app: delivered on {date}',
  'connected.notification.failed': 'Notification to the app: failed (the app could not be reached)',
  'connected.notification.confirmed': 'Deletion confirmed by the app on {date}',
  'connected.notification.code': 'Confirmation code: {code}',
  'connected.notification.status_link': 'Deletion status at the app',
  'connected.detail.items': 'Information shared with this app',
  'connected.detail.items_lead': 'What you agreed to share, and when.',
  'connected.detail.no_items': 'This app receives no information.',
  'connected.detail.agreed_on': 'Agreed on {date}',
  'connected.detail.withdrawn_on': 'Withdrawn on {date}',
  'connected.detail.required': 'Required',
  'connected.detail.optional': 'Optional',
  'connected.detail.required_hint': 'The app needs this item. To stop sharing it, unlink the app below.',
  'connected.detail.withdraw': 'Withdraw consent',
  'connected.detail.withdraw_label': 'Withdraw consent: {item}',
  'connected.detail.privacy': 'Privacy policy of {app}',
  'connected.detail.no_privacy': 'This app has not published a privacy policy link.',
  'connected.detail.unlink': 'Unlink',
  'connected.detail.unlink_case1':
    'This app receives a notice when you unlink, so it can delete what it holds about you.',
  'connected.detail.unlink_case2':
    'This app cannot be told when you unlink. “Delete All Data” shows how to leave the service itself; “Disconnect” only ends the link.',
  'connected.detail.delete_all': 'Delete All Data',
  'connected.detail.disconnect': 'Disconnect',
  'connected.withdrawn': 'Consent withdrawn: {item}. The app no longer receives it.',
  'connected.unlinked': '{app} has been unlinked from your account.',
  'connected.withdraw.title': 'Withdraw consent',
  'connected.withdraw.lead': 'Stop sharing “{item}” with {app}?',
  'connected.withdraw.effects':
    'From now on, {app} can no longer get this item, even while you stay logged in to it. What it received before stays with the app.',
  'connected.withdraw.confirm': 'Withdraw consent',
  'connected.delete_all.title': 'Delete All Data',
  'connected.delete_all.lead': 'Unlink {app} and ask it to delete your data?',
  'connected.delete_all.effect_now':
    'The link ends now: {app} can no longer log you in or read your information, even where you are still logged in to it.',
  'connected.delete_all.effect_notice': '{platform} tells {app} to delete the data it holds about you.',
  'connected.delete_all.effect_no_wait':
    '{platform} cannot see or delete the data inside {app}, and does not wait for its answer: the app cannot stop or delay this.',
  'connected.delete_all.confirm': 'Delete All Data',
  'connected.leave.title': 'Leave {app} in person',
  'connected.leave.lead':
    '{platform} cannot reach the data that {app} keeps, and {app} has not set up a way to be told when you unlink.',
  'connected.leave.how':
    'To have your data deleted, open {app} and leave the service (delete your membership) there.',
  'connected.leave.open': 'Open {app}',
  'connected.leave.no_platform':
    '{app} has not registered a web site or mobile app here. Contact the app to leave it.',
  'connected.leave.disconnect_title': 'Disconnect now',
  'connected.leave.disconnect_lead':
    'You can also end the link here now. {app} keeps the data it already has.',
  'connected.disconnect.title': 'Disconnect',
  'connected.disconnect.lead': 'Disconnect {app} from your account?',
  'connected.disconnect.effect_now':
    'The link ends now: {app} can no longer log you in or read your information, even where you are still logged in to it.',
  'connected.disconnect.effect_keeps':
    '{app} keeps the data it already has about you (your membership and anything you stored there). {platform} cannot delete it and will not tell the app.',
  'connected.disconnect.effect_relink':
    'If you log in to {app} again later, it recognises you with the same ID and may show your earlier data.',
  'connected.disconnect.confirm': 'Disconnect',
  'connected.delete.menu': 'Delete account',
  'connected.delete.title': 'Delete your account',
  'connected.delete.lead': 'This cannot be undone.',
  'connected.delete.effects_unlink':
    'Every connected app is unlinked. Apps that asked to be told are told that your account was deleted.',
  'connected.delete.effects_apps': 'Connected apps now: {count}',
  'connected.delete.effects_erase':
    'Your profile, your consents and the access you gave apps are erased for good. You are logged out everywhere.',
  'connected.delete.effects_keep':
    'Data that apps keep inside their own services is theirs: leave those services in person if they were not notified.',
  'connected.delete.password_hint': 'Enter your password again to confirm it is you.',
  'connected.delete.confirm_label': 'I understand that my account and its data are deleted for good.',
  'connected.delete.confirm_required': 'Tick the box to confirm.',
  'connected.delete.submit': 'Delete my account',
  'connected.deleted.title': 'Your account has been deleted',
  'connected.deleted.lead':
    'Thank you for using {platform}. Your account and its data have been erased, and connected apps have been unlinked.',
  'error.account_sole_owner':
    'You are the only owner of these apps: {apps}. Make someone else an owner, or delete the apps, in the developer console first.',
} as const;

const ko: Record<keyof typeof en, string> = {
  'connected.menu': '연결된 서비스 관리',
  'connected.title': '연결된 서비스 관리',
  'connected.lead':
    '{platform} 계정으로 로그인한 앱입니다. 앱에 제공되는 정보를 확인하고, 선택 동의를 철회하거나 연결을 끊을 수 있습니다.',
  'connected.none': '계정에 연결된 앱이 없습니다.',
  'connected.connected_on': '{date} 연결',
  'connected.connected_recently': '{when} 연결함',
  'connected.icon_alt': '{app} 아이콘',
  'connected.by_company': '{company}',
  'connected.back_to_list': '연결된 서비스 관리로 돌아가기',
  'connected.back_to_app': '{app:으로/로} 돌아가기',
  'connected.previous.title': '이전에 연결된 서비스',
  'connected.previous.lead': '연결을 끊은 앱입니다. 다시 로그인하면 동의를 다시 요청합니다.',
  'connected.notification.none':
    '앱에 알리지 않았습니다. 이 앱은 연결이 끊길 때 알림을 받도록 설정하지 않았습니다.',
  'connected.notification.pending': '앱에 보내는 알림: 대기 중',
  'connected.notification.delivered': '앱에 보내는 알림: {date} 전달됨',
  'connected.notification.failed': '앱에 보내는 알림: 실패 (앱에 연결할 수 없음)',
  'connected.notification.confirmed': '{date} 앱이 삭제를 확인함',
  'connected.notification.code': '확인 코드: {code}',
  'connected.notification.status_link': '앱의 삭제 처리 현황',
  'connected.detail.items': '이 앱에 제공되는 정보',
  'connected.detail.items_lead': '제공에 동의한 항목과 동의한 날짜입니다.',
  'connected.detail.no_items': '이 앱에 제공되는 정보가 없습니다.',
  'connected.detail.agreed_on': '{date} 동의',
  'connected.detail.withdrawn_on': '{date} 철회',
  'connected.detail.required': '필수',
  'connected.detail.optional': '선택',
  'connected.detail.required_hint': '앱에 꼭 필요한 항목입니다. 제공을 멈추려면 아래에서 연결을 끊어 주세요.',
  'connected.detail.withdraw': '동의 철회',
  'connected.detail.withdraw_label': '동의 철회: {item}',
  'connected.detail.privacy': '{app} 개인정보 처리방침',
  'connected.detail.no_privacy': '이 앱은 개인정보 처리방침 링크를 등록하지 않았습니다.',
  'connected.detail.unlink': '연결 끊기',
  'connected.detail.unlink_case1':
    '연결을 끊으면 이 앱에 알림이 전달되어, 앱이 보관 중인 내 정보를 삭제할 수 있습니다.',
  'connected.detail.unlink_case2':
    '이 앱은 연결 끊기 알림을 받을 수 없습니다. ‘모든 정보 삭제’는 서비스에서 직접 탈퇴하는 방법을 안내하고, ‘연결 끊기’는 연결만 해제합니다.',
  'connected.detail.delete_all': '모든 정보 삭제',
  'connected.detail.disconnect': '연결 끊기',
  'connected.withdrawn': '동의를 철회했습니다: {item}. 이제 앱에 제공되지 않습니다.',
  'connected.unlinked': '{app:와/과}의 연결을 끊었습니다.',
  'connected.withdraw.title': '동의 철회',
  'connected.withdraw.lead': '{app}에 ‘{item}’ 제공을 멈출까요?',
  'connected.withdraw.effects':
    '지금부터 {app:은/는} 이 항목을 더 이상 받을 수 없습니다. 앱에 로그인해 있어도 마찬가지입니다. 이전에 받은 정보는 앱에 남아 있습니다.',
  'connected.withdraw.confirm': '동의 철회',
  'connected.delete_all.title': '모든 정보 삭제',
  'connected.delete_all.lead': '{app:와/과}의 연결을 끊고 내 정보 삭제를 요청할까요?',
  'connected.delete_all.effect_now':
    '연결이 지금 끊어집니다. {app:은/는} 더 이상 내 계정으로 로그인하거나 내 정보를 읽을 수 없습니다. 지금 앱에 로그인해 있어도 마찬가지입니다.',
  'connected.delete_all.effect_notice': '{platform:이/가} {app}에 내 정보를 삭제하라고 알립니다.',
  'connected.delete_all.effect_no_wait':
    '{platform:은/는} {app} 안의 데이터를 보거나 지울 수 없으며 앱의 응답을 기다리지 않습니다. 앱은 이 요청을 막거나 늦출 수 없습니다.',
  'connected.delete_all.confirm': '모든 정보 삭제',
  'connected.leave.title': '{app}에서 직접 탈퇴하기',
  'connected.leave.lead':
    '{platform:은/는} {app:이/가} 보관하는 데이터에 접근할 수 없고, {app:은/는} 연결 끊기 알림을 받도록 설정하지 않았습니다.',
  'connected.leave.how': '내 정보를 삭제하려면 {app:을/를} 열어 서비스에서 직접 탈퇴해 주세요.',
  'connected.leave.open': '{app} 열기',
  'connected.leave.no_platform':
    '{app:은/는} 웹사이트나 모바일 앱을 등록하지 않았습니다. 탈퇴하려면 앱에 직접 문의해 주세요.',
  'connected.leave.disconnect_title': '지금 연결 끊기',
  'connected.leave.disconnect_lead':
    '여기서 바로 연결을 끊을 수도 있습니다. {app:은/는} 이미 가진 데이터를 계속 보관합니다.',
  'connected.disconnect.title': '연결 끊기',
  'connected.disconnect.lead': '{app:와/과}의 연결을 끊을까요?',
  'connected.disconnect.effect_now':
    '연결이 지금 끊어집니다. {app:은/는} 더 이상 내 계정으로 로그인하거나 내 정보를 읽을 수 없습니다. 지금 앱에 로그인해 있어도 마찬가지입니다.',
  'connected.disconnect.effect_keeps':
    '{app:은/는} 이미 가진 내 데이터(회원 정보와 서비스에 저장한 내용)를 계속 보관합니다. {platform:은/는} 이를 삭제할 수 없고 앱에 알리지도 않습니다.',
  'connected.disconnect.effect_relink':
    '나중에 {app}에 다시 로그인하면 같은 ID로 인식되어 이전 데이터가 다시 보일 수 있습니다.',
  'connected.disconnect.confirm': '연결 끊기',
  'connected.delete.menu': '계정 삭제',
  'connected.delete.title': '계정 삭제',
  'connected.delete.lead': '되돌릴 수 없습니다.',
  'connected.delete.effects_unlink':
    '연결된 모든 앱과의 연결이 끊어집니다. 알림을 받겠다고 설정한 앱에는 계정이 삭제되었다고 알립니다.',
  'connected.delete.effects_apps': '현재 연결된 앱: {count}개',
  'connected.delete.effects_erase':
    '프로필과 동의 내역, 앱에 허락한 접근 권한이 완전히 삭제되고 모든 기기에서 로그아웃됩니다.',
  'connected.delete.effects_keep':
    '각 앱이 자체 서비스에 보관하는 데이터는 앱의 것입니다. 알림을 받지 못한 앱은 직접 탈퇴해 주세요.',
  'connected.delete.password_hint': '본인 확인을 위해 비밀번호를 다시 입력하세요.',
  'connected.delete.confirm_label': '내 계정과 데이터가 완전히 삭제된다는 것을 이해했습니다.',
  'connected.delete.confirm_required': '확인란을 선택해 주세요.',
  'connected.delete.submit': '계정 삭제',
  'connected.deleted.title': '계정이 삭제되었습니다',
  'connected.deleted.lead':
    '{platform:을/를} 이용해 주셔서 감사합니다. 계정과 데이터가 삭제되었고 연결된 앱과의 연결이 끊어졌습니다.',
  'error.account_sole_owner':
    '다음 앱의 유일한 소유자입니다: {apps}. 먼저 개발자 콘솔에서 다른 사람을 소유자로 지정하거나 앱을 삭제해 주세요.',
};

export default { en, ko };
