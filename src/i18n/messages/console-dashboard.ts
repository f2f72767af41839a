/**
 * Developer console: the app's dashboard on its overview page, and the compact consent-item and
 * platform editors. The console may use technical words (it is for developers).
 */
const en = {
  'console.editor.consent.col_item': 'Item',
  'console.editor.consent.col_mode': 'Consent',
  'console.editor.consent.in_use': 'Items in use',
  'console.editor.consent.not_used': 'Items not used',
  'console.editor.consent.none_in_use': 'No item is in use yet. Add one below.',
  'console.editor.consent.add': 'Add an item ({count} not used)',

  'console.dashboard.title': 'Last 7 days',
  'console.dashboard.days_in': 'Days are counted in {zone}.',
  'console.dashboard.linked_now': 'Linked users now',
  'console.dashboard.links_7d': 'Links',
  'console.dashboard.unlinks_7d': 'Unlinks',
  'console.dashboard.success_rate': 'Delivery success',
  'console.dashboard.success_detail': '{ok} of {total} attempts',
  'console.dashboard.p95': 'p95 delivery latency',
  'console.dashboard.no_attempts': 'no deliveries',
  'console.dashboard.chart_title': 'Links and unlinks per day',
  'console.dashboard.chart_desc':
    'A bar chart of links and unlinks on each of the last 7 days; the table below has the same numbers.',
  'console.dashboard.table_caption': 'Links and unlinks per day',
  'console.dashboard.col_day': 'Day',
  'console.dashboard.legend_links': 'Links',
  'console.dashboard.legend_unlinks': 'Unlinks',
  'console.dashboard.show_table': 'Numbers per day',
  'console.dashboard.chart_empty': 'No links or unlinks in these 7 days',
};

const ko: { [K in keyof typeof en]: string } = {
  'console.editor.consent.col_item': '항목',
  'console.editor.consent.col_mode': '동의 단계',
  'console.editor.consent.in_use': '사용 중인 항목',
  'console.editor.consent.not_used': '사용하지 않는 항목',
  'console.editor.consent.none_in_use': '아직 사용하는 항목이 없습니다. 아래에서 추가하세요.',
  'console.editor.consent.add': '항목 추가 (사용하지 않는 항목 {count}개)',

  'console.dashboard.title': '최근 7일',
  'console.dashboard.days_in': '날짜는 {zone} 기준입니다.',
  'console.dashboard.linked_now': '현재 연결된 사용자',
  'console.dashboard.links_7d': '연결',
  'console.dashboard.unlinks_7d': '연결 끊기',
  'console.dashboard.success_rate': '알림 전송 성공률',
  'console.dashboard.success_detail': '시도 {total}건 중 {ok}건',
  'console.dashboard.p95': '전송 지연 시간 (p95)',
  'console.dashboard.no_attempts': '전송 없음',
  'console.dashboard.chart_title': '일별 연결과 연결 끊기',
  'console.dashboard.chart_desc':
    '최근 7일 동안 날마다 연결과 연결 끊기가 몇 건인지 보여 주는 막대그래프입니다. 같은 수치가 아래 표에 있습니다.',
  'console.dashboard.table_caption': '일별 연결과 연결 끊기',
  'console.dashboard.col_day': '날짜',
  'console.dashboard.legend_links': '연결',
  'console.dashboard.legend_unlinks': '연결 끊기',
  'console.dashboard.show_table': '일별 수치 보기',
  'console.dashboard.chart_empty': '최근 7일 동안 연결이나 연결 끊기가 없습니다',
};

export default { en, ko };
