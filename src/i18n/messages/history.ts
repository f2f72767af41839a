/** Connection history grouped by app, and the history download. */
const en = {
  'history.title': 'Connection history',
  'history.lead': 'What happened with each app, the most recent first.',
  'history.link': 'See what happened with each app',
  'history.none': 'Nothing has happened with any app yet.',
  'history.connected_now': 'Connected',
  'history.event.linked_first': 'First connected to {app}',
  'history.event.linked_again': 'Connected again',
  'history.event.agreed': 'Agreed to share {items}',
  'history.event.withdrawn': 'Withdrew consent to share {items}',
  'history.event.unlinked.delete_all': 'Asked the app to delete all information',
  'history.event.unlinked.disconnect': 'Disconnected the app',
  'history.event.unlinked.app': 'The app ended the connection',
  'history.event.unlinked.admin': 'An administrator ended the connection',
  'history.event.unlinked.account_delete': 'The connection ended when the account was deleted',
  'history.confirmed': 'Deletion confirmed by the app on {date}',
  'history.repeated': '{count} times, most recently {date}',
  'history.item_separator': ', ',
  'history.download.title': 'Download my history',
  'history.download.lead':
    'A file with every connection, every consent given or withdrawn, every disconnection and what the apps were told. Choose CSV to open it in Excel.',
  'history.download.json': 'Download as JSON',
  'history.download.csv': 'Download as CSV (Excel)',
};

const ko: Record<keyof typeof en, string> = {
  'history.title': '연결 기록',
  'history.lead': '앱마다 있었던 일을 최근 것부터 보여 드립니다.',
  'history.link': '앱별로 있었던 일 보기',
  'history.none': '아직 앱과 연결한 기록이 없습니다.',
  'history.connected_now': '연결됨',
  'history.event.linked_first': '{app}에 처음 연결함',
  'history.event.linked_again': '다시 연결함',
  'history.event.agreed': '{items} 제공에 동의함',
  'history.event.withdrawn': '{items} 제공 동의를 철회함',
  'history.event.unlinked.delete_all': '모든 정보 삭제를 요청함',
  'history.event.unlinked.disconnect': '연결을 끊음',
  'history.event.unlinked.app': '앱에서 연결을 끊음',
  'history.event.unlinked.admin': '관리자가 연결을 끊음',
  'history.event.unlinked.account_delete': '계정을 삭제해 연결이 끊김',
  'history.confirmed': '앱이 삭제를 확인함 {date}',
  'history.repeated': '{count}번, 마지막 {date}',
  'history.item_separator': ', ',
  'history.download.title': '내 기록 내려받기',
  'history.download.lead':
    '앱과의 연결, 정보 제공 동의와 철회, 연결 끊기, 앱에 보낸 알림을 모두 파일로 받을 수 있습니다. 엑셀에서 열려면 CSV를 고르세요.',
  'history.download.json': 'JSON 파일로 받기',
  'history.download.csv': 'CSV 파일로 받기 (엑셀)',
};

export default { en, ko };
