/**
 * Developer console: the delivery log's states, filters, retry schedule, times and the test badge.
 * The log's older strings are in notifications.ts (`deliveries.*`); these keys are new, none
 * replaces one of them.
 */
const en = {
  // The older lead named the default schedule; the page now shows the configured one below it.
  'deliveries.log_lead':
    'Every notification sent to your callback URL, with each attempt. Receivers should deduplicate on webhook-id.',
  'deliveries.item.test_badge': 'Test',
  'deliveries.item.attempt_of': '(attempt {next} of {total})',
  'deliveries.state.queued': 'Queued',
  'deliveries.state.retrying': 'Retrying',
  'deliveries.state.delivered': 'Delivered',
  'deliveries.state.failed': 'Failed',
  'deliveries.filter.title': 'Filter notifications',
  'deliveries.filter.state': 'State',
  'deliveries.filter.any_state': 'Any state',
  'deliveries.filter.user_id': 'User ID',
  'deliveries.filter.user_id_hint': 'The app user ID the notification is about. Test notifications use 0.',
  'deliveries.filter.user_id_invalid': 'Enter the user ID in digits only.',
  'deliveries.filter.apply': 'Show',
  'deliveries.filter.clear': 'Show all',
  'deliveries.times_zone': 'Times are in {zone}.',
  'deliveries.time_value': '{date}, {time}',
  'deliveries.retry.schedule': 'Retry schedule',
  'deliveries.retry.schedule_value':
    'After a failed attempt, tried again after {steps}; then the notification fails ({total} attempts in all).',
  'deliveries.retry.none': 'No retries: a failed attempt fails the notification.',
  'deliveries.retry.jitter':
    'Each delay varies by up to ±{percent}%, so retries after an outage do not all arrive at once.',
  'deliveries.duration.ms': '{n} ms',
  'deliveries.duration.s': '{n} s',
  'deliveries.duration.m': '{n} min',
  'deliveries.duration.h': '{n} h',
  'deliveries.duration.d': '{n} d',
};

const ko: { [K in keyof typeof en]: string } = {
  'deliveries.log_lead':
    '콜백 URL로 보낸 모든 알림과 시도 기록입니다. 수신 측은 webhook-id로 중복을 걸러 주세요.',
  'deliveries.item.test_badge': '테스트',
  'deliveries.item.attempt_of': '(전체 {total}번 중 {next}번째 시도)',
  'deliveries.state.queued': '대기 중',
  'deliveries.state.retrying': '재시도 중',
  'deliveries.state.delivered': '전송 완료',
  'deliveries.state.failed': '실패',
  'deliveries.filter.title': '알림 골라 보기',
  'deliveries.filter.state': '상태',
  'deliveries.filter.any_state': '모든 상태',
  'deliveries.filter.user_id': '회원번호',
  'deliveries.filter.user_id_hint': '알림 대상인 앱의 회원번호입니다. 테스트 알림은 0입니다.',
  'deliveries.filter.user_id_invalid': '회원번호는 숫자로만 입력하세요.',
  'deliveries.filter.apply': '보기',
  'deliveries.filter.clear': '전체 보기',
  'deliveries.times_zone': '시각은 {zone} 기준입니다.',
  'deliveries.time_value': '{date} {time}',
  'deliveries.retry.schedule': '재시도 일정',
  'deliveries.retry.schedule_value':
    '전송에 실패하면 {steps} 뒤에 차례로 다시 보내고, 그래도 실패하면 알림은 실패로 끝납니다(모두 {total}번 시도).',
  'deliveries.retry.none': '재시도하지 않습니다. 한 번 실패하면 알림은 실패로 끝납니다.',
  'deliveries.retry.jitter':
    '장애가 끝난 뒤 재시도가 한꺼번에 몰리지 않도록 간격마다 최대 ±{percent}%씩 차이를 둡니다.',
  'deliveries.duration.ms': '{n}밀리초',
  'deliveries.duration.s': '{n}초',
  'deliveries.duration.m': '{n}분',
  'deliveries.duration.h': '{n}시간',
  'deliveries.duration.d': '{n}일',
};

export default { en, ko };
